"""Every notebook in a real browser: JupyterLab + Debian's chromium, driven like a learner would.

For each notebook: open it and save it unchanged, and check the file is byte for byte what it was
(notebooks are stored in the form JupyterLab writes, see scripts/run_notebooks.py, so opening one
never leaves git with a modified file). Then Run All Cells, wait for the kernel, and check that no
cell failed, every widget rendered, every slider is visible and no news pop-up appeared. Each slider is then moved with
the arrow keys: every move must change the figure (the <img> of the live view), some move must
change its caption (the printed numbers), and the time from key press to changed view is measured.
A learning-rate slider is swept over its whole range: the view shows either a figure or the readable
divergence message, never NaN numbers. In the first notebook, its Contents link opens the README and
its next-notebook link opens the next notebook.

Accessibility (issue: WCAG 2.2 AA for the course's own content): after Run All, axe-core (pinned in
tests/axe/) checks the page; a violation inside an output area or a rendered markdown cell (the
course's own content) fails the notebook, one in JupyterLab's own interface is listed at the end with
its upstream issue. Every image the cells put
out must have alt text, every live view a text line (aria-live) equal to its picture's alt, every
slider handle a name and an aria-valuetext equal to the readout the learner sees. One live figure is
walked with the keyboard alone: Tab reaches each control, an arrow key (or Space) changes it and the
picture and its text line change, Tab moves on past the last, Escape leaves a slider.

Outside CI the test skips when chromium or playwright is missing; under CI=true that is a failure.
"""

import json
import re
import statistics
import tempfile
import time

import pytest
from browser_lab import (
    AXE_SCRIPT,
    CHROMIUM,
    ROOT,
    UPSTREAM,
    VIEW_JS,
    LabServer,
    close_notebook,
    focused,
    in_ci,
    launch_chromium,
    live_figures,
    move_slider,
    open_notebook,
    output_images,
    run_all,
    run_axe,
    save_notebook,
    slider_position,
    view_state,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots"
TIMINGS_FILE = ROOT / "build" / "browser_timings.json"
AXE_REPORT = ROOT / "build" / "axe_report.json"
# The live figure walked with the keyboard alone: its first one (a learning-rate and an epoch slider).
KEYBOARD_NOTEBOOK = "04_single_neuron_xor.ipynb"
MOVES_PER_SLIDER = 4
# A printed NaN in a caption: 'nan' as a number, not the word inside the divergence message.
PRINTED_NAN = re.compile(r"(?<![A-Za-z])[-+]?nan(?![A-Za-z])")

pytestmark = pytest.mark.timeout(600)


def _unavailable(reason):
    if in_ci():
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def lab():
    """One JupyterLab server for all notebooks, stopped (with its kernels) even when a test fails."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (./course test installs Debian's chromium)")
    with tempfile.TemporaryDirectory(prefix="course-lab-") as workdir:
        try:
            server = LabServer(workdir, NOTEBOOKS)
        except (RuntimeError, OSError) as error:
            _unavailable(f"JupyterLab did not start: {error}")
        try:
            yield server
        finally:
            server.close()


@pytest.fixture(scope="module")
def browser(lab):
    """One headless chromium (fresh profile) for all notebooks, closed even when a test fails."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"playwright is not installed: {error}")
    with tempfile.TemporaryDirectory(prefix="course-chromium-") as profile, sync_playwright() as playwright:
        context = launch_chromium(playwright, profile)
        try:
            yield context
        finally:
            context.close()


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the fixtures report the missing package
    PlaywrightTimeout = TimeoutError


@pytest.fixture(scope="module")
def page(browser):
    """One page for all notebooks: JupyterLab loads once, notebooks open and close inside it."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(30_000)
    yield page
    page.close()


@pytest.fixture(scope="module")
def axe_report(request):
    """Collects axe's findings: per notebook, the violations in its content; JupyterLab's own, listed
    with their upstream issue at the end of the run (and in build/axe_report.json)."""
    if not AXE_SCRIPT.exists():
        _unavailable(f"{AXE_SCRIPT} is missing (./course test installs axe-core into tests/axe/)")
    report = {"notebooks": {}, "chrome": {}}
    yield report
    if not report["notebooks"]:
        return
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(json.dumps(report, indent=1))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    lines = ["", "axe-core: violations in the notebooks' own content (outputs and markdown)"]
    for name, found in report["notebooks"].items():
        lines.append(f"  {name:32s} {', '.join(f'{rule} x{count}' for rule, count in found.items()) or 'none'}")
    lines.append("axe-core: violations in JupyterLab's own interface (not failed; upstream)")
    for rule, found in sorted(report["chrome"].items()):
        lines.append(f"  {rule} ({found['impact']}, {len(found['notebooks'])} notebooks): {found['upstream']}")
    with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        for line in lines:
            reporter.write_line(line)


@pytest.fixture(scope="module")
def timings(request):
    """Collects per-notebook move timings; prints the medians once all notebooks ran."""
    results = {}
    yield results
    if not results:
        return
    TIMINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS_FILE.write_text(json.dumps(results, indent=1))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    lines = ["", "browser: key press -> changed view, per notebook"]
    for name, result in results.items():
        moves = result["move_ms"]
        median = f"median {statistics.median(moves):6.0f} ms over {len(moves):2d} moves" if moves else "no sliders"
        lines.append(
            f"  {name:32s} {median}   open+run all {result['run_seconds']:4.1f} s, "
            f"all checks {result.get('total_seconds', float('nan')):4.1f} s   {result['divergence']}"
        )
    # Written past pytest's output capture, so the table shows on every run, not only on failure.
    with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        for line in lines:
            reporter.write_line(line)


def _expected_slider_count(notebook):
    """Sliders the notebook had when it was stored (its saved widget state), or None if not saved."""
    metadata = json.loads(notebook.read_text())["metadata"]
    states = metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state")
    if states is None:
        return None
    return sum(1 for model in states.values() if model.get("model_name", "").endswith("SliderModel"))


def _check_page(page, name):
    text = page.locator(".jp-NotebookPanel").text_content()
    assert "Error displaying widget" not in text, f"{name}: a widget failed to display"
    toasts = page.locator(".Toastify__toast")
    assert toasts.count() == 0, f"{name}: a notification pop-up is showing: {toasts.all_text_contents()}"


def _wait_for_widgets(page, name):
    loading = page.get_by_text(re.compile(r"Loading widget(\.\.\.|…)"))
    try:
        loading.first.wait_for(state="detached", timeout=15_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError; reported as a clear assertion below
        pass
    assert loading.count() == 0, f"{name}: a widget is stuck on 'Loading widget…'"


# Each live figure's controls, as a screen reader finds them: every slider handle named and saying the
# value its readout shows; every <select> named; the view's text line announced and equal to the alt.
LIVE_ACCESSIBILITY_JS = """(box) => {
    const problems = [];
    const label = (control) => (control.querySelector('.widget-label') || {}).textContent || '';
    box.querySelectorAll(':scope > .widget-hbox > *').forEach((control, index) => {
        const described = `control ${index + 1} ('${label(control).trim()}')`;
        control.querySelectorAll('.noUi-handle').forEach((handle) => {
            const readout = control.querySelector('.widget-readout');
            if (!(handle.getAttribute('aria-label') || '').trim()) problems.push(`${described}: slider without a name`);
            if (readout && handle.getAttribute('aria-valuetext') !== readout.textContent.trim())
                problems.push(`${described}: aria-valuetext ${handle.getAttribute('aria-valuetext')} ` +
                              `is not the readout ${readout.textContent.trim()}`);
        });
        control.querySelectorAll('select').forEach((select) => {
            if (!(select.getAttribute('aria-label') || (select.labels[0] || {}).textContent || '').trim())
                problems.push(`${described}: dropdown without a name`);
        });
    });
    const view = box.querySelector(':scope > .course-live-view');
    const img = view.querySelector('img'), line = view.querySelector('.course-live-text');
    if (!img.alt.trim()) problems.push('live picture without alt text');
    if (line.getAttribute('aria-live') !== 'polite' || line.textContent.trim() !== img.alt.trim())
        problems.push(`text line ${JSON.stringify(line.textContent)} is not announced or not the alt ${img.alt}`);
    return problems;
}"""


def _check_accessibility(page, name, report):
    """axe over the page after Run All, the outputs' images and the live figures; returns the problems
    found in the course's own content (JupyterLab's go to the report)."""
    problems = []
    content = {}
    for violation in run_axe(page):
        nodes = [node for node in violation["nodes"] if node["content"]]
        if nodes:
            content[violation["id"]] = len(nodes)
            problems += [
                f"axe {violation['id']} ({violation['impact']}): {violation['help']}: {node['html']}"
                for node in nodes[:3]
            ]
        if len(nodes) < len(violation["nodes"]):
            found = report["chrome"].setdefault(
                violation["id"],
                {
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "notebooks": [],
                    "upstream": UPSTREAM.get(violation["id"], "no upstream issue recorded"),
                },
            )
            found["notebooks"].append(name)
            found.setdefault("example", next(node for node in violation["nodes"] if not node["content"]))
    report["notebooks"][name] = content
    images = output_images(page)
    problems += [
        f"an output image without alt text ({image['src']}...)" for image in images if not (image["alt"] or "").strip()
    ]
    boxes = live_figures(page)
    for index in range(boxes.count()):
        problems += [
            f"live figure {index + 1}: {problem}" for problem in boxes.nth(index).evaluate(LIVE_ACCESSIBILITY_JS)
        ]
    return problems


def _sweep_learning_rate(page, box, slider, name):
    """Step the rate slider over its whole range; returns what the largest rates show.

    A dropdown next to it (an optimiser) is set to its first choice, the plainest method, which is the
    one a large rate throws off first.
    """
    dropdowns = box.locator(".widget-dropdown select")
    for index in range(dropdowns.count()):
        first = dropdowns.nth(index).locator("option").first.text_content()
        if dropdowns.nth(index).input_value() != first:
            dropdowns.nth(index).select_option(label=first)
            page.wait_for_timeout(300)
    value, low, high = slider_position(slider)
    if value > low:
        move_slider(page, box, slider, "Home")
    diverged_at = None
    for step in range(int(high - low) + 1):
        if step:
            try:
                move_slider(page, box, slider, "ArrowRight", timeout_ms=1_500)
            except Exception:  # noqa: BLE001 - the same message twice in a row is no change; fine
                pass
        view = view_state(box)
        label = slider.locator(".widget-readout").text_content()
        assert not PRINTED_NAN.search(view["caption"]), f"{name}: NaN printed at learning rate {label}"
        if view["alert"]:
            assert "diverged" in view["alert"].lower(), f"{name}: unreadable message {view['alert']!r}"
            diverged_at = diverged_at or label
        else:
            assert view["imageShown"], f"{name}: neither a figure nor a message at learning rate {label}"
    return f"diverges from rate {diverged_at}" if diverged_at else "no rate in range diverges"


def _move_and_check(page, box, slider, key, name, description, timeout_ms=15_000):
    """One move of a slider, checked: the readout moved, the figure changed, no NaN printed."""
    readout = slider.locator(".widget-readout")
    before = readout.text_content()
    move = move_slider(page, box, slider, key, timeout_ms=timeout_ms)
    assert readout.text_content() != before, f"{name}: slider '{description}' did not move on {key}"
    assert not PRINTED_NAN.search(move["after"]["caption"]), f"{name}: NaN printed after moving '{description}'"
    return move


def _first_move(page, box, slider, key, name, description):
    """The first move of a slider. A slider may matter only for one choice of a dropdown next to it
    (RMSprop's rho while momentum is chosen): then try the dropdown's other choices, as a person would."""
    try:
        return _move_and_check(page, box, slider, key, name, description, timeout_ms=2_000)
    except PlaywrightTimeout:
        pass
    dropdowns = box.locator(".widget-dropdown select")
    for dropdown_index in range(dropdowns.count()):
        dropdown = dropdowns.nth(dropdown_index)
        original = dropdown.input_value()
        for option in dropdown.locator("option").all_text_contents():
            if option == original:
                continue
            dropdown.select_option(label=option)
            page.wait_for_timeout(300)
            key = "ArrowRight" if key == "ArrowLeft" else "ArrowLeft"
            try:
                return _move_and_check(page, box, slider, key, name, description, timeout_ms=2_000)
            except PlaywrightTimeout:
                continue
    pytest.fail(f"{name}: moving '{description}' never changed the figure, whatever the dropdowns say")


def _reveal(page, box, slider, name):
    """Show a slider that its live figure hides for the current choice (an optimiser's constant while
    another optimiser is chosen): try each choice of the dropdowns beside it, as a person would."""
    if slider.evaluate("(slider) => getComputedStyle(slider).display !== 'none'"):
        return
    dropdowns = box.locator(".widget-dropdown select")
    for index in range(dropdowns.count()):
        for option in dropdowns.nth(index).locator("option").all_text_contents():
            dropdowns.nth(index).select_option(label=option)
            try:
                slider.wait_for(state="visible", timeout=2_000)
                return
            except PlaywrightTimeout:
                continue
    pytest.fail(f"{name}: a slider stays hidden whatever the dropdowns beside it say")


def _exercise_slider(page, box, slider, name, result, captions):
    """Move a slider MOVES_PER_SLIDER times, away from the ends, timing each move; adds the captions
    seen to `captions`."""
    _reveal(page, box, slider, name)
    slider.scroll_into_view_if_needed()
    description = slider.locator(".widget-label").text_content().strip()
    direction = "ArrowLeft"
    for move_index in range(MOVES_PER_SLIDER):
        value, low, high = slider_position(slider)
        if value <= low:
            direction = "ArrowRight"
        elif value >= high:
            direction = "ArrowLeft"
        # Steps, then one jump to an end of the range: a single step late in training may not change
        # the printed numbers at their rounding; a jump does.
        last = move_index == MOVES_PER_SLIDER - 1
        key = {"ArrowLeft": "Home", "ArrowRight": "End"}[direction] if last else direction
        if move_index == 0:
            move = _first_move(page, box, slider, key, name, description)
        else:
            try:
                move = _move_and_check(page, box, slider, key, name, description)
            except PlaywrightTimeout:
                readout = slider.locator(".widget-readout").text_content()
                pytest.fail(f"{name}: the figure did not change after {key} on '{description}' (now {readout})")
        result["move_ms"].append(move["ms"])
        captions.update((move["before"]["caption"], move["after"]["caption"]))


def _screenshot(page, notebook):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{notebook.stem}.png")


def _current_tab(page, title, timeout_ms=30_000):
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current", has_text=title).wait_for(timeout=timeout_ms)


def test_contents_and_next_links_open(lab, page):
    """The navigation line of the first notebook: Contents opens the README, the arrow link the next
    notebook, inside the lab (the server serves the course's root, so both paths exist)."""
    first, following = NOTEBOOKS[0], NOTEBOOKS[1]
    cells = json.loads(first.read_text(encoding="utf-8"))["cells"]
    open_notebook(page, lab, first.name, cell_count=len(cells))
    try:
        links = page.locator(".jp-NotebookPanel .jp-RenderedMarkdown a")
        contents = links.filter(has_text=re.compile(r"^Contents$")).last
        contents.scroll_into_view_if_needed()
        contents.click()
        _current_tab(page, "README.md")
        dialogs = page.locator(".jp-Dialog")
        assert dialogs.count() == 0, f"opening the README showed a dialog: {dialogs.all_text_contents()}"
        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=first.name).first.click()
        _current_tab(page, first.name)
        forward = links.filter(has_text="→").last
        forward.scroll_into_view_if_needed()
        forward.click()
        _current_tab(page, following.name)
        page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=30_000)
    finally:
        close_notebook(page, lab)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_in_browser(lab, page, timings, axe_report, notebook):
    name = notebook.name
    result = timings[name] = {"move_ms": [], "divergence": "", "run_seconds": float("nan")}
    try:
        start = time.monotonic()
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        open_notebook(page, lab, name, cell_count=len(cells))
        stored, saved = save_notebook(page, lab, name)
        assert saved == stored, (
            f"{name}: saving it unchanged in JupyterLab rewrote the file; store it with "
            f".venv/bin/python scripts/run_notebooks.py notebooks/{name}"
        )
        state = run_all(page, name)
        result["run_seconds"] = time.monotonic() - start
        assert state["errors"] == 0, f"{name}: {state['errors']} cell(s) wrote an error or to stderr"
        code_cells = [cell for cell in cells if cell["cell_type"] == "code"]
        # A cell with its input collapsed shows no prompt; its number is still taken.
        expected_prompts = [
            f"[{count}]:"
            for count, cell in enumerate(code_cells, start=1)
            if not cell["metadata"].get("jupyter", {}).get("source_hidden")
        ]
        assert state["prompts"] == expected_prompts, f"{name}: cells did not all run in order: {state['prompts']}"
        _wait_for_widgets(page, name)
        _check_page(page, name)
        # Checked on the page as Run All left it; reported after the sliders' checks, so both run.
        accessibility = _check_accessibility(page, name, axe_report)

        sliders = page.locator(".jp-NotebookPanel .widget-slider")
        expected = _expected_slider_count(notebook)
        if expected is not None:
            assert sliders.count() == expected, f"{name}: {sliders.count()} sliders shown, {expected} stored"
        for index in range(sliders.count()):
            if sliders.nth(index).evaluate("(slider) => getComputedStyle(slider).display === 'none'"):
                continue  # hidden by its live figure for the current choice (see _reveal)
            sliders.nth(index).scroll_into_view_if_needed()
            assert sliders.nth(index).is_visible(), f"{name}: slider {index + 1} is not visible"

        # The screenshot shows the notebook as the run left it: its first live figure, else the top.
        boxes = live_figures(page)
        if boxes.count():
            boxes.first.scroll_into_view_if_needed()
        _screenshot(page, notebook)
        for box_index in range(boxes.count()):
            box = boxes.nth(box_index)
            box_sliders = box.locator(".widget-slider")
            captions = set()
            for slider_index in range(box_sliders.count()):
                _exercise_slider(page, box, box_sliders.nth(slider_index), name, result, captions)
            # Some sliders move only the picture (a caption may summarise coarsely); the printed numbers
            # of each live figure must change under some move.
            captions.discard("")
            assert len(captions) != 1, f"{name}: moving the sliders never changed the printed numbers {captions}"
            for slider_index in range(box_sliders.count()):
                slider = box_sliders.nth(slider_index)
                if "rate" in slider.locator(".widget-label").text_content().lower():
                    outcome = _sweep_learning_rate(page, box, slider, name)
                    result["divergence"] = "; ".join(filter(None, [result["divergence"], outcome]))
        _check_page(page, name)
        assert not accessibility, f"{name}: not accessible:\n  " + "\n  ".join(accessibility)
    finally:
        close_notebook(page, lab)
        result["total_seconds"] = time.monotonic() - start


def _wait_for_view_change(page, box, before, what, timeout_seconds=15.0):
    """Wait until the live figure's picture and its text line both differ from `before`; returns the view."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        view = box.evaluate(VIEW_JS)
        if view["src"] != before["src"] and view["text"] != before["text"]:
            return view
        page.wait_for_timeout(20)
    view = box.evaluate(VIEW_JS)
    changed = "the text line" if view["src"] != before["src"] else "neither the picture nor the text line"
    pytest.fail(f"{KEYBOARD_NOTEBOOK}: after {what}, {changed} changed (text {view['text']!r})")


def _change_with_keyboard(page, where):
    """The key that changes the focused control, or None when this element cannot: an arrow for a
    slider handle (away from its end) or a dropdown, Space for a toggle button not yet chosen."""
    if "noUi-handle" in where["classes"]:
        handle = page.locator(":focus")
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        return "ArrowLeft" if at_end else "ArrowRight"
    if where["tag"] == "select":
        return (
            "ArrowUp"
            if page.locator(":focus").evaluate("s => s.selectedIndex === s.options.length - 1")
            else "ArrowDown"
        )
    if where["tag"] == "button" and "mod-active" not in where["classes"]:
        return "Space"
    return None


def test_keyboard_walk_through_a_live_figure(lab, page):
    """Keyboard only: from the cell, Tab reaches each control of the first live figure in turn; a key
    changes it and the picture and its text line change (a slider's aria-valuetext follows its
    readout); Tab moves on past the last control; Escape on a slider hands the focus back."""
    notebook = ROOT / "notebooks" / KEYBOARD_NOTEBOOK
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    open_notebook(page, lab, notebook.name, cell_count=len(cells))
    try:
        run_all(page, notebook.name)
        _wait_for_widgets(page, notebook.name)
        box = live_figures(page).first
        box.scroll_into_view_if_needed()
        count = box.locator(":scope > .widget-hbox > *").count()
        box.evaluate("(box) => box.closest('.jp-Cell').focus()")
        reached, changed, left = [], set(), False
        for _ in range(8 * count + 8):
            page.keyboard.press("Tab")
            where = focused(page)
            index = where and where["control"]
            if index is None:
                if reached:
                    left = True  # Tab went on past the controls: no trap
                    break
                continue
            if index not in reached:
                reached.append(index)
            assert where["name"], f"{KEYBOARD_NOTEBOOK}: control {index + 1} has no accessible name: {where}"
            key = None if index in changed else _change_with_keyboard(page, where)
            if key:
                before = box.evaluate(VIEW_JS)
                page.keyboard.press(key)
                _wait_for_view_change(page, box, before, f"{key} on control {index + 1} ({where['name']})")
                changed.add(index)
                after = focused(page)
                if "noUi-handle" in where["classes"]:
                    readout = box.locator(":scope > .widget-hbox > *").nth(index).locator(".widget-readout")
                    assert after["valuetext"] == readout.text_content().strip() != where["valuetext"], (
                        f"{KEYBOARD_NOTEBOOK}: slider '{where['name']}' says {after['valuetext']!r}, "
                        f"its readout {readout.text_content()!r} (before: {where['valuetext']!r})"
                    )
        assert reached == list(range(count)), f"{KEYBOARD_NOTEBOOK}: Tab reached controls {reached} of {count}"
        assert changed == set(range(count)), f"{KEYBOARD_NOTEBOOK}: keys changed only controls {sorted(changed)}"
        assert left, f"{KEYBOARD_NOTEBOOK}: Tab did not move on past the last control"
        handle = box.locator(".noUi-handle").first
        handle.focus()
        page.keyboard.press("Escape")
        after = focused(page)
        assert after is None or after["control"] is None, f"{KEYBOARD_NOTEBOOK}: Escape left the focus on {after}"
    finally:
        close_notebook(page, lab)
