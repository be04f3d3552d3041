"""The README's classroom, run: the course's JupyterHub, a new learner, and the nbgitpuller link.

The hub (classroom/jupyterhub_config.py) starts on 127.0.0.1 in a temporary folder. A learner logs in
in Chromium and follows the README's nbgitpuller link, pointed at a teacher's clone of this repository:
notebook 01 opens, runs, and its slider redraws the figure. Then the teacher commits a change, the
learner edits notebook 01 and saves it, and follows the link again: the teacher's change arrives and
the learner's edit is still there (what nbgitpuller promises). Everything started is stopped.

What a second click does when teacher and learner changed the same notebook is tested without the
hub or a browser, by nbgitpuller's own pull (the code the link runs), on the course's notebooks: the
four cases the README tells teachers about, and its recipe for a fresh copy of one notebook.

Memory: on a hub started with short limits, a kernel left idle (its notebook still open) is shut
down by the learner's server, then the idle server is stopped by jupyterhub-idle-culler, and the
learner's saved notebook is intact throughout.

Outside CI the tests skip when a part is missing; under CI=true that is a failure.
"""

import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
import websocket
from browser_lab import CHROMIUM, ROOT, in_ci, launch_chromium, live_figures, move_slider, run_all
from hub_classroom import (
    JUPYTERHUB,
    PROXY,
    ClassroomHub,
    HubUser,
    git,
    local_link,
    nbgitpuller_pull,
    readme_link,
    teacher_repository,
)

LEARNER = "ada"
NOTEBOOK = "01_forward_pass.ipynb"

pytestmark = pytest.mark.timeout(420)


def _unavailable(reason):
    if in_ci():
        pytest.fail(f"hub test cannot run under CI: {reason}")
    pytest.skip(reason)


def _check_parts():
    for path, what in (
        (CHROMIUM, "Debian's chromium"),
        (JUPYTERHUB, "JupyterHub (classroom/requirements.txt)"),
        (PROXY, "configurable-http-proxy (classroom/package.json)"),
    ):
        if not path.exists():
            _unavailable(f"{path} is missing: {what}; ./course test installs it")
    if shutil.which("git") is None:
        _unavailable("git is missing")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        _unavailable(f"playwright is not installed: {error}")


def _branch(link):
    match = re.search(r"[?&]branch=([^&]+)", link)
    assert match, f"the README's link names no branch: {link}"
    return match.group(1)


def _wait_for_notebook(page, timeout_ms=120_000):
    """Wait until the lab shows notebook 01 with its cells and an idle kernel."""
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell >> nth=0", timeout=timeout_ms)
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current", has_text=NOTEBOOK).wait_for(timeout=timeout_ms)
    page.wait_for_selector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=timeout_ms)


def _log_in(page, hub):
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", LEARNER)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    # A new learner lands in their own, freshly started JupyterLab.
    page.wait_for_url(re.compile(rf"/user/{LEARNER}/lab"), timeout=120_000)


def _add_own_cell(page, text):
    """The learner's edit: a new markdown cell at the top of the notebook, saved with Ctrl+S."""
    first = page.locator(".jp-NotebookPanel .jp-Cell").first
    first.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("a")  # insert a cell above, in command mode
    page.keyboard.press("m")  # make it markdown
    page.keyboard.press("Enter")
    page.keyboard.type(text)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")


def _saved_text(path, text, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(encoding="utf-8"):
            return True
        time.sleep(0.2)
    return False


def test_learner_pulls_the_course_through_the_hub():
    _check_parts()
    from playwright.sync_api import sync_playwright

    link = readme_link()
    with tempfile.TemporaryDirectory(prefix="course-hub-") as workdir:
        teacher = teacher_repository(workdir, _branch(link))
        try:
            hub = ClassroomHub(workdir)
        except (RuntimeError, OSError) as error:
            pytest.fail(f"the classroom's JupyterHub did not start: {error}")
        try:
            with tempfile.TemporaryDirectory(prefix="course-chromium-") as profile, sync_playwright() as playwright:
                context = launch_chromium(playwright, profile)
                try:
                    page = context.pages[0]
                    page.set_default_timeout(30_000)
                    _learner_session(page, hub, teacher, local_link(link, hub.url, teacher))
                finally:
                    context.close()
        except BaseException as error:
            raise AssertionError(f"{error}\n--- hub log ---\n{hub.log_tail()}") from error
        finally:
            hub.close()


def _learner_session(page, hub, teacher, link):
    _log_in(page, hub)
    course = hub.home(LEARNER) / "backprop-course"
    assert not course.exists(), "the learner's home has the course before the first click"

    # First click: nbgitpuller clones the course into the learner's home and opens notebook 01.
    page.goto(link)
    _wait_for_notebook(page)
    assert (course / "notebooks" / NOTEBOOK).exists(), "the link did not put the course in the learner's home"
    cells = json.loads((course / "notebooks" / NOTEBOOK).read_text(encoding="utf-8"))["cells"]
    page.wait_for_function(
        "(count) => document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length === count",
        arg=len(cells),
        timeout=60_000,
    )

    # Its widgets work: the notebook runs without an error and a slider move redraws the figure.
    state = run_all(page, NOTEBOOK, timeout_seconds=120)
    assert state["errors"] == 0, f"{NOTEBOOK}: {state['errors']} cell(s) failed on the hub"
    boxes = live_figures(page)
    assert boxes.count() > 0, f"{NOTEBOOK} shows no live figure on the hub"
    box = boxes.first
    slider = box.locator(".widget-slider").first
    slider.scroll_into_view_if_needed()
    move = move_slider(page, box, slider, "ArrowRight")
    assert move["after"]["src"] != move["before"]["src"], "the slider did not change the figure"

    # The teacher changes the course; the learner changes notebook 01 in their copy.
    teacher_note = f"A note from the teacher, {secrets.token_hex(4)}."
    with open(teacher / "README.md", "a", encoding="utf-8") as readme:
        readme.write(f"\n{teacher_note}\n")
    git("commit", "--quiet", "-am", "A note for the class", cwd=teacher)
    learner_note = f"My own note, {secrets.token_hex(4)}."
    _add_own_cell(page, learner_note)
    assert _saved_text(course / "notebooks" / NOTEBOOK, learner_note), "the learner's edit was not saved"

    # Second click: the teacher's change arrives and the learner's edit is kept.
    page.goto(link)
    _wait_for_notebook(page)
    assert _saved_text(course / "README.md", teacher_note, seconds=10), "the teacher's change did not arrive"
    notebook_text = (course / "notebooks" / NOTEBOOK).read_text(encoding="utf-8")
    assert learner_note in notebook_text, "following the link again lost the learner's edit"
    assert page.locator(".jp-NotebookPanel").first.get_by_text(learner_note).count() > 0, (
        "the reopened notebook does not show the learner's edit"
    )


# -- what a second click does to notebooks both sides changed (nbgitpuller's pull, no hub) ----------


def _read(course, name):
    return nbformat.read(course / "notebooks" / name, as_version=4)


def _write(course, name, notebook):
    """Saves `notebook` as JupyterLab does (nbformat's JSON, a final newline)."""
    (course / "notebooks" / name).write_text(nbformat.writes(notebook).rstrip("\n") + "\n", encoding="utf-8")


def _ran(notebook, earlier_runs=100):
    """What running every code cell again does to the file: new execution counts (the learner's
    kernel had run `earlier_runs` cells before)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.execution_count:
            cell.execution_count += earlier_runs
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] += earlier_runs


def _first(notebook, kind, after=0, where=lambda cell: True):
    return next(
        index for index, cell in enumerate(notebook.cells) if index > after and cell.cell_type == kind and where(cell)
    )


def _notebook_name(course, number):
    return next((course / "notebooks").glob(f"{number}_*.ipynb")).name


@pytest.fixture(scope="module")
def second_click(tmp_path_factory):
    """The learner's copy after a second click, when teacher and learner both changed notebooks in
    between; each case on a notebook of its own (one teacher commit, one pull). Returns the learner's
    course folder, what nbgitpuller printed, and per case what each side wrote."""
    if shutil.which("git") is None:
        _unavailable("git is missing")
    try:
        import nbgitpuller.pull  # noqa: F401
    except ImportError as error:
        _unavailable(f"nbgitpuller is not installed (classroom/requirements.txt): {error}")
    workdir = tmp_path_factory.mktemp("nbgitpuller")
    branch = _branch(readme_link())
    teacher = teacher_repository(workdir, branch)
    course = workdir / "home" / "backprop-course"
    course.parent.mkdir()
    nbgitpuller_pull(teacher, course, branch)  # the first click
    cases = {}

    # Teacher and learner edit the same line of one cell.
    name = _notebook_name(teacher, "01")
    ours, theirs = _read(course, name), _read(teacher, name)
    index = _first(theirs, "markdown")
    theirs.cells[index].source += " The teacher's correction."
    ours.cells[index].source += " My own note."
    cases["same cell"] = name
    _write(teacher, name, theirs)
    _write(course, name, ours)

    # Both append a cell at the end.
    name = _notebook_name(teacher, "02")
    ours, theirs = _read(course, name), _read(teacher, name)
    theirs.cells.append(nbformat.v4.new_markdown_cell("A new exercise from the teacher."))
    ours.cells.append(nbformat.v4.new_code_cell("my_own_try = 1"))
    cases["both append"] = name
    _write(teacher, name, theirs)
    _write(course, name, ours)

    # The teacher deletes a code cell the learner has run.
    name = _notebook_name(teacher, "03")
    ours, theirs = _read(course, name), _read(teacher, name)
    index = _first(theirs, "code", after=3, where=lambda cell: cell.outputs)
    cases["teacher deletes"] = (name, theirs.cells[index].id, [cell.id for cell in ours.cells])
    del theirs.cells[index]
    _ran(ours)
    _write(teacher, name, theirs)
    _write(course, name, ours)

    # The learner only ran cells; the teacher fixes a sentence and a code cell with its output.
    name = _notebook_name(teacher, "04")
    ours, theirs = _read(course, name), _read(teacher, name)
    theirs.cells[_first(theirs, "markdown", after=2)].source += " A sentence the teacher fixed."
    index = _first(theirs, "code", where=lambda cell: any(out.output_type == "stream" for out in cell.outputs))
    theirs.cells[index].source += "\nprint('fixed by the teacher')"
    next(out for out in theirs.cells[index].outputs if out.output_type == "stream").text += "fixed by the teacher\n"
    _ran(ours)
    cases["learner ran"] = name
    _write(teacher, name, theirs)
    _write(course, name, ours)

    # The README's recipe for the teacher's current version: rename your copy, click the link again.
    name = _notebook_name(teacher, "05")
    ours, theirs = _read(course, name), _read(teacher, name)
    theirs.cells[_first(theirs, "markdown")].source += " The teacher's new version."
    ours.cells[_first(ours, "markdown")].source += " My work on it."
    mine = name.replace(".ipynb", "-mine.ipynb")
    cases["fresh copy"] = (name, mine)
    _write(teacher, name, theirs)
    _write(course, name, ours)
    (course / "notebooks" / name).rename(course / "notebooks" / mine)

    git("commit", "--quiet", "-am", "The teacher's changes", cwd=teacher)
    output = nbgitpuller_pull(teacher, course, branch)  # the second click
    return course, output, cases


def _valid(course, name):
    notebook = _read(course, name)
    nbformat.validate(notebook)
    return notebook


def _text(course, name):
    return (Path(course) / "notebooks" / name).read_text(encoding="utf-8")


def test_second_click_merges_without_conflict(second_click):
    course, output, _ = second_click
    assert "CONFLICT" not in output, f"nbgitpuller reported a conflict:\n{output}"
    assert not git("status", "--porcelain", "--untracked-files=no", cwd=course).strip(), (
        "the learner's copy is left with uncommitted changes"
    )


def test_same_cell_edited_by_both_keeps_the_learners_line_only(second_click):
    course, _, cases = second_click
    _valid(course, cases["same cell"])
    text = _text(course, cases["same cell"])
    assert "My own note." in text, "the learner's edit was lost"
    assert "The teacher's correction." not in text, "nbgitpuller now merges the teacher's edit: update the README"


def test_both_appending_a_cell_keeps_only_the_learners(second_click):
    course, _, cases = second_click
    _valid(course, cases["both append"])
    text = _text(course, cases["both append"])
    assert "my_own_try = 1" in text, "the learner's new cell was lost"
    assert "A new exercise from the teacher." not in text, (
        "nbgitpuller now keeps the teacher's appended cell too: update the README"
    )


def test_a_cell_the_learner_ran_survives_the_teachers_deletion(second_click):
    course, _, cases = second_click
    name, deleted, learners_cells = cases["teacher deletes"]
    notebook = _valid(course, name)
    assert deleted in [cell.id for cell in notebook.cells], "nbgitpuller now applies the deletion: update the README"
    assert [cell.id for cell in notebook.cells] == learners_cells, "the learner's notebook lost or gained cells"


def test_a_learner_who_only_ran_cells_gets_the_teachers_fixes(second_click):
    course, _, cases = second_click
    notebook = _valid(course, cases["learner ran"])
    text = _text(course, cases["learner ran"])
    assert "A sentence the teacher fixed." in text, "the teacher's fix to the text did not arrive"
    assert "print('fixed by the teacher')" in text and text.count("fixed by the teacher") == 2, (
        "the teacher's fixed code cell and its output did not both arrive"
    )
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code" and cell.execution_count]
    assert counts and min(counts) > 100, "the learner's execution counts were not kept"


def test_renaming_a_copy_and_clicking_again_gives_the_teachers_version(second_click):
    course, _, cases = second_click
    name, mine = cases["fresh copy"]
    fresh, own = _text(course, name), _text(course, mine)
    _valid(course, name)
    assert "The teacher's new version." in fresh and "My work on it." not in fresh, (
        "the restored notebook is not the teacher's current version"
    )
    assert "My work on it." in own, "the learner's renamed copy lost their work"


# -- idle kernels and servers are culled, saved work stays -------------------------------------------

# Short limits for the test; the classroom's own are in classroom/jupyterhub_config.py.
KERNEL_IDLE_SECONDS = 4
SERVER_IDLE_SECONDS = 60
CULL_EVERY_SECONDS = 2


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} within {seconds:.0f} s")


def _open_tab(learner, kernel_id):
    """What an open notebook tab holds: a websocket to the kernel, which has answered once."""
    url = f"{learner.server.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels"
    tab = websocket.create_connection(url, header=[f"Authorization: token {learner.token}"], timeout=60)
    msg_id = secrets.token_hex(8)
    header = {"msg_id": msg_id, "msg_type": "kernel_info_request", "session": "tab", "username": "", "version": "5.3"}
    tab.send(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        frame = tab.recv()
        if isinstance(frame, str) and json.loads(frame).get("parent_header", {}).get("msg_id") == msg_id:
            return tab
    raise AssertionError("the kernel did not answer within 60 s")


def test_idle_kernels_and_servers_are_culled_and_saved_work_stays():
    for path, what in (
        (JUPYTERHUB, "JupyterHub (classroom/requirements.txt)"),
        (PROXY, "configurable-http-proxy (classroom/package.json)"),
    ):
        if not path.exists():
            _unavailable(f"{path} is missing: {what}; ./course test installs it")
    try:
        import jupyterhub_idle_culler  # noqa: F401
    except ImportError as error:
        _unavailable(f"jupyterhub-idle-culler is not installed (classroom/requirements.txt): {error}")
    limits = {
        "CLASSROOM_KERNEL_IDLE_SECONDS": str(KERNEL_IDLE_SECONDS),
        "CLASSROOM_SERVER_IDLE_SECONDS": str(SERVER_IDLE_SECONDS),
        "CLASSROOM_CULL_EVERY_SECONDS": str(CULL_EVERY_SECONDS),
    }
    with tempfile.TemporaryDirectory(prefix="course-cull-") as workdir:
        hub = ClassroomHub(workdir, environment=limits)
        try:
            _idle_learner(hub)
        except BaseException as error:
            raise AssertionError(f"{error}\n--- hub log ---\n{hub.log_tail()}") from error
        finally:
            hub.close()


def _idle_learner(hub):
    learner = HubUser(hub, "grace")
    learner.log_in()
    learner.start_server()
    started = time.monotonic()
    # The learner's work, saved as JupyterLab saves it, and the notebook's kernel, left idle in an open tab.
    work = nbformat.v4.new_notebook()
    work.cells.append(nbformat.v4.new_markdown_cell("My answer, worked out by hand."))
    work.cells.append(nbformat.v4.new_code_cell("answer = 6 * 7\nanswer", execution_count=1))
    work.cells[-1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1)]
    body = {"type": "notebook", "format": "json", "content": work}
    learner.request("PUT", f"{learner.server}/api/contents/my_work.ipynb", json=body)
    saved = hub.home(learner.name) / "my_work.ipynb"
    saved_bytes = saved.read_bytes()
    session = {"path": "my_work.ipynb", "name": "my_work.ipynb", "type": "notebook", "kernel": {"name": "python3"}}
    kernel_id = learner.request("POST", f"{learner.server}/api/sessions", json=session).json()["kernel"]["id"]
    tab = _open_tab(learner, kernel_id)
    try:
        idle_since = time.monotonic()

        def kernels():
            return [kernel["id"] for kernel in learner.request("GET", f"{learner.server}/api/kernels").json()]

        assert kernels() == [kernel_id]
        _wait_for(lambda: kernel_id not in kernels(), KERNEL_IDLE_SECONDS + 5 * CULL_EVERY_SECONDS + 30, "no cull")
        idle_for = time.monotonic() - idle_since
    finally:
        tab.close()
    # Counted from the kernel's answer reaching the tab, a moment after the kernel's own last activity.
    assert idle_for >= KERNEL_IDLE_SECONDS - 1, f"the kernel was shut down after {idle_for:.1f} s, before its limit"
    assert learner.server_ready(), "culling the kernel stopped the learner's server"
    assert saved.read_bytes() == saved_bytes, "culling the kernel changed the learner's saved notebook"
    reply = learner.request("GET", f"{learner.server}/api/contents/my_work.ipynb").json()["content"]
    assert [cell["source"] for cell in reply["cells"]] == [cell.source for cell in work.cells], (
        "the learner's notebook does not read back as saved"
    )
    assert reply["cells"][-1]["outputs"][0]["data"] == {"text/plain": "42"}, "the saved output was lost"

    # Then the idle server: stopped by jupyterhub-idle-culler, the learner's files left in place.
    _wait_for(
        lambda: not learner.server_ready(),
        SERVER_IDLE_SECONDS + 5 * CULL_EVERY_SECONDS + 60 - (time.monotonic() - started),
        "the idle server was not stopped",
    )
    assert time.monotonic() - started >= SERVER_IDLE_SECONDS, "the server was stopped before its limit"
    assert saved.read_bytes() == saved_bytes, "stopping the server changed the learner's saved notebook"


def test_readme_gives_zero_to_jupyterhub_the_classrooms_limits():
    config = (ROOT / "classroom" / "jupyterhub_config.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for variable, helm in (
        ("CLASSROOM_KERNEL_IDLE_SECONDS", r"cull_idle_timeout: (\d+)"),
        ("CLASSROOM_SERVER_IDLE_SECONDS", r"\n    timeout: (\d+)"),
        ("CLASSROOM_CULL_EVERY_SECONDS", r"\n    every: (\d+)"),
    ):
        default = re.search(rf'"{variable}", "(\d+)"', config)
        given = re.search(helm, readme)
        assert default and given, f"{variable}: no default in the hub config or no value in the README's Helm values"
        assert given.group(1) == default.group(1), (
            f"the README's Helm values give {given.group(1)} where the classroom uses {variable}={default.group(1)}"
        )
