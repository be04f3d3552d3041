"""The Binder set-up is what repo2docker expects (it cannot build here: no docker), read from the files.

repo2docker uses binder/ alone when that folder exists, so everything it needs lives there:
runtime.txt (Python version), requirements.txt (pointing at the course's pinned list, which holds no
test tools, plus nbgitpuller for a hub), postBuild (lab settings), overrides.json (no news pop-up).
The README's badge opens notebook 01 in JupyterLab, and the README's figures are the ones
scripts/readme_figures.py makes from the benchmarks' results files.
"""

import json
import re
import stat
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
BADGE = re.compile(
    r"^\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]"
    r"\((https://mybinder\.org/v2/gh/[A-Za-z0-9-]+/[A-Za-z0-9._-]+/[A-Za-z0-9._/-]+\?urlpath=[^)\s]+)\)$"
)


PIN = re.compile(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+")
# What only the tests use; none of it belongs in a learner's image.
TEST_TOOLS = ("pytest", "pytest-timeout", "nbval", "playwright", "ruff", "coverage")


def pinned_names(lines):
    """Normalised package names of `name==version` lines."""
    return [re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() for line in lines if "==" in line]


def requirement_lines(path):
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def test_runtime_pins_python_311():
    runtime = (BINDER / "runtime.txt").read_text()
    assert re.fullmatch(r"python-3\.11\n?", runtime), f"binder/runtime.txt must be 'python-3.11', is {runtime!r}"


def test_no_root_files_that_binder_would_ignore():
    # With a binder/ folder, repo2docker ignores these at the root; having them there would mislead.
    for name in ("runtime.txt", "postBuild", "environment.yml", "apt.txt", "start"):
        assert not (ROOT / name).exists(), f"{name} at the root is ignored by repo2docker; it belongs in binder/"


def test_binder_requirements_point_at_the_pinned_list_and_add_the_classroom_nbgitpuller():
    lines = requirement_lines(BINDER / "requirements.txt")
    classroom_pin = [
        line for line in requirement_lines(ROOT / "classroom" / "requirements.txt") if "nbgitpuller" in line
    ]
    assert lines == ["-r ../requirements.txt", *classroom_pin], (
        f"binder/requirements.txt must be the pinned list and classroom's nbgitpuller pin {classroom_pin}, is {lines}"
    )


def test_requirements_are_pinned_and_install_helpers_last():
    lines = requirement_lines(ROOT / "requirements.txt")
    assert lines[-1] == "-e .", "the last line of requirements.txt must be '-e .' (installs helpers)"
    unpinned = [line for line in lines[:-1] if not PIN.fullmatch(line)]
    assert not unpinned, f"requirements.txt lines not pinned with ==: {unpinned}"
    names = pinned_names(lines[:-1])
    for needed in ("jupyterlab", "ipywidgets", "numpy", "matplotlib"):
        assert needed in names, f"requirements.txt must pin {needed}"


def test_test_requirements_add_pinned_test_tools_to_the_course():
    lines = requirement_lines(ROOT / "requirements-test.txt")
    assert lines[0] == "-r requirements.txt", "requirements-test.txt must start from the course's own list"
    unpinned = [line for line in lines[1:] if not PIN.fullmatch(line)]
    assert not unpinned, f"requirements-test.txt lines not pinned with ==: {unpinned}"
    names = pinned_names(lines[1:])
    for needed in TEST_TOOLS:
        assert needed in names, f"requirements-test.txt must pin {needed}"
    course = pinned_names(requirement_lines(ROOT / "requirements.txt"))
    assert not set(names) & set(course), f"pinned in both lists (one source each): {sorted(set(names) & set(course))}"


def test_binder_installs_no_test_tool():
    # Everything binder/requirements.txt installs, following its -r includes.
    installed, pending = [], [BINDER / "requirements.txt"]
    while pending:
        path = pending.pop()
        for line in requirement_lines(path):
            if line.startswith("-r "):
                pending.append((path.parent / line.removeprefix("-r ").strip()).resolve())
            else:
                installed.append(line)
    test_only = pinned_names(requirement_lines(ROOT / "requirements-test.txt")[1:])
    leaked = sorted(set(pinned_names(installed)) & {*test_only, *TEST_TOOLS})
    assert not leaked, f"Binder's image would install test tools: {leaked}"


def test_course_script_installs_test_tools_for_tests_only():
    script = (ROOT / "course").read_text()
    lab = script.split("    lab)", 1)[1].split(";;", 1)[0]
    test = script.split("    test)", 1)[1].split(";;", 1)[0]
    assert "setup requirements.txt" in lab, "./course lab must install the course's list only"
    assert "setup requirements-test.txt" in test, "./course test must install the test list"


def test_overrides_turn_news_off():
    overrides = json.loads((BINDER / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false", "the news pop-up must be off"
    assert notification["checkForUpdates"] is False, "update checks must be off"


def test_post_build_is_executable_and_installs_the_overrides():
    post_build = BINDER / "postBuild"
    mode = post_build.stat().st_mode
    assert mode & stat.S_IXUSR, "binder/postBuild must be executable (chmod +x)"
    text = post_build.read_text()
    assert text.startswith("#!"), "binder/postBuild needs a shebang line"
    assert "binder/overrides.json" in text
    assert "${NB_PYTHON_PREFIX}/share/jupyter/lab/settings" in text
    assert "overrides.json" in text.split("${NB_PYTHON_PREFIX}/share/jupyter/lab/settings", 1)[1]
    # Nothing is fetched while the image builds or starts, beyond the pinned requirements.
    assert not re.search(r"\b(curl|wget|pip install|git clone)\b", text), "postBuild must not download anything"


def test_course_script_installs_the_same_overrides():
    script = (ROOT / "course").read_text()
    assert "binder/overrides.json" in script
    assert "share/jupyter/lab/settings/overrides.json" in script


def test_readme_badge_opens_notebook_01_in_lab():
    readme = (ROOT / "README.md").read_text().splitlines()
    badges = [match for line in readme if (match := BADGE.match(line.strip()))]
    assert len(badges) == 1, "README needs exactly one Binder badge line: [![Binder](...badge_logo.svg)](URL)"
    url = urlparse(badges[0].group(1))
    urlpath = unquote(parse_qs(url.query)["urlpath"][0])
    assert urlpath.startswith("lab/tree/"), f"the badge must open JupyterLab, urlpath is {urlpath!r}"
    target = ROOT / urlpath.removeprefix("lab/tree/")
    assert target.name == "01_forward_pass.ipynb", f"the badge must open notebook 01, opens {target.name}"
    assert target.parent == ROOT / "notebooks"
    assert target.exists(), f"the badge opens {urlpath}, which does not exist"


def test_readme_figures_are_the_benchmarks_results():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import readme_figures
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(readme_figures.BEGIN) == 1 and readme.count(readme_figures.END) == 1, (
        "README.md needs the figures' two marker lines, once each"
    )
    expected = readme_figures.readme_with(readme_figures.render(readme_figures.load_results()), readme)
    assert readme == expected, "README.md's figures differ from benchmarks/results/: run scripts/readme_figures.py"
