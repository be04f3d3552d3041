"""The README's classroom, run: the course's JupyterHub, a new learner, and the nbgitpuller link.

The hub (classroom/jupyterhub_config.py) starts on 127.0.0.1 in a temporary folder. A learner logs in
in Chromium and follows the README's nbgitpuller link, pointed at a teacher's clone of this repository:
notebook 01 opens, runs, and its slider redraws the figure. Then the teacher commits a change, the
learner edits notebook 01 and saves it, and follows the link again: the teacher's change arrives and
the learner's edit is still there (what nbgitpuller promises). Everything started is stopped.

Outside CI the test skips when a part is missing; under CI=true that is a failure.
"""

import json
import re
import secrets
import shutil
import tempfile
import time

import pytest
from browser_lab import CHROMIUM, in_ci, launch_chromium, live_figures, move_slider, run_all
from hub_classroom import JUPYTERHUB, PROXY, ClassroomHub, git, local_link, readme_link, teacher_repository

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
