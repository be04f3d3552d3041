"""A benchmark run leaves git clean: by default every benchmark writes into a folder git ignores.

Read from the scripts, not run (the benchmarks take minutes): every file a benchmark writes goes
through benchmarks/result_files.py, whose default folder is ignored by git, and the committed results
(benchmarks/results/, the README's figures) are written only when --update-results is given.
"""

import argparse
import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import result_files  # noqa: E402

sys.path.remove(str(BENCHMARKS))

SCRIPTS = sorted(path for path in BENCHMARKS.glob("*.py") if path.name != "result_files.py")
# Calls that would write a file: only result_files.py may make them.
WRITERS = {"write_text", "write_bytes", "dump", "to_csv", "to_json"}


def _git_ignores(path):
    if shutil.which("git") is None:
        pytest.skip("git is missing")
    result = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT, check=False)
    return result.returncode == 0


def _calls(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call):
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def test_the_default_output_folder_is_ignored_by_git_and_the_committed_one_is_not():
    default = result_files.output_path("any_benchmark")
    assert default.is_relative_to(result_files.SCRATCH), f"the default output {default} is not under build/benchmarks"
    assert _git_ignores(default), f"git does not ignore {default.relative_to(ROOT)}: a benchmark run would show in git"
    committed = result_files.output_path("any_benchmark", update_results=True)
    assert committed.parent == BENCHMARKS / "results"
    assert not _git_ignores(committed), "benchmarks/results/ must be tracked: the README's figures come from it"


def test_update_results_is_off_unless_asked():
    parser = argparse.ArgumentParser()
    result_files.add_options(parser)
    assert parser.parse_args([]).update_results is False
    assert parser.parse_args(["--update-results"]).update_results is True


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_benchmarks_write_only_through_result_files(script):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    for call in _calls(tree):
        assert _name(call) not in WRITERS, (
            f"{script.name}:{call.lineno} writes a file itself; use result_files.write (an ignored folder by default)"
        )
        if _name(call) == "open" and len(call.args) > 1:
            mode = call.args[1]
            assert not (isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax")), (
                f"{script.name}:{call.lineno} opens a file for writing; use result_files.write"
            )
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.value != "results", f"{script.name}:{node.lineno} names benchmarks/results/ itself"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_committed_results_are_written_only_when_asked(script):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    writes = [
        call
        for call in _calls(tree)
        if isinstance(call.func, ast.Attribute)
        and call.func.attr in {"write", "output_path"}
        and getattr(call.func.value, "id", "") == "result_files"
    ]
    for call in writes:
        flags = call.args[2:] if call.func.attr == "write" else call.args[1:]
        flags = [*flags, *(keyword.value for keyword in call.keywords if keyword.arg == "update_results")]
        assert len(flags) == 1 and isinstance(flags[0], ast.Attribute) and flags[0].attr == "update_results", (
            f"{script.name}:{call.lineno} must pass the --update-results option (args.update_results) to "
            f"result_files.{call.func.attr}"
        )
    if writes:
        adds = [call for call in _calls(tree) if _name(call) == "add_options"]
        assert adds, f"{script.name} writes results but offers no --update-results (result_files.add_options)"
