"""Plumbing for the browser test: a private JupyterLab server and a headless Debian chromium.

The server runs on a copy of the notebooks in a temporary folder, so running cells in the browser
never touches (or autosaves over) the stored notebooks, and it reads the course's own lab settings
(binder/overrides.json), so the test sees what a learner sees.
"""

import ctypes
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
OVERRIDES = ROOT / "binder" / "overrides.json"

# Everything chromium would fetch or sync on its own is switched off: the test must not depend on
# the network, and background work would only steal time from the two cores.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci():
    """True when running under CI (CI=true), where a missing browser or server is a failure."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process_group(process, grace_seconds=5.0):
    """Stop `process` and everything it started (it must lead its own session), politely first."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace_seconds), (signal.SIGKILL, grace_seconds)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def die_with_parent():
    """Ask Linux to send this process SIGTERM when its parent dies (a preexec_fn for Popen)."""
    # If the test process is killed outright (no finally blocks run), the kernel still sends the
    # server SIGTERM, so no JupyterLab is left behind. Linux only; elsewhere the fixtures' cleanup remains.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_logged(command, log_path, env, cwd=None):
    """Start a server `command` in a session of its own (so stop_process_group stops all it starts),
    its output going to the file `log_path`; returns (process, the open log file)."""
    log = open(log_path, "w")  # noqa: SIM115 - the caller closes it with the server
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    return process, log


def wait_until_up(process, answers, seconds, name, log_tail):
    """Poll `answers()` (True once the server answers; URL errors count as not yet) until it is True,
    or raise naming `name` with the end of its log when the process exits or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}:\n{log_tail()}")
        try:
            if answers():
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer within {seconds:.0f} s:\n{log_tail()}")


class LabServer:
    """A JupyterLab server on 127.0.0.1 with a random token, serving a copy of notebooks/.

    Holds the process, its base URL and token; `close()` stops the server and its kernels.
    """

    def __init__(self, workdir, notebooks, startup_seconds=60.0):
        self.workdir = Path(workdir)
        self.root_dir = self.workdir / "course"
        (self.root_dir / "notebooks").mkdir(parents=True)
        for notebook in notebooks:
            shutil.copy(notebook, self.root_dir / "notebooks" / Path(notebook).name)
        # The README is the target of every notebook's Contents link.
        shutil.copy(ROOT / "README.md", self.root_dir / "README.md")
        settings_dir = self.workdir / "lab-settings"
        settings_dir.mkdir()
        shutil.copy(OVERRIDES, settings_dir / "overrides.json")
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "jupyterlab.log"
        env = dict(os.environ)
        # A private config/runtime/data home: the learner's own ~/.jupyter must not change the result,
        # and platformdirs locations avoid jupyter_core's deprecation warning.
        env.update(
            JUPYTER_PLATFORM_DIRS="1",
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            IPYTHONDIR=str(self.workdir / "ipython"),
        )
        command = [
            str(Path(sys.executable).parent / "jupyter"),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabApp.app_settings_dir={settings_dir}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.process, self._log = start_logged(command, self.log_path, env)
        try:
            wait_until_up(self.process, self._answers, startup_seconds, "JupyterLab", self.log_tail)
        except BaseException:
            self.close()
            raise

    def _answers(self):
        self.api("GET", "/api/status")
        return True

    def log_tail(self, lines=30):
        """The last lines of the server's log, for failure messages."""
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def api(self, method, path):
        """Call the server's REST API; returns the decoded JSON (or None for an empty reply)."""
        request = urllib.request.Request(
            self.base_url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def notebook_url(self, name, workspace):
        """URL that opens notebooks/<name> in its own, empty workspace (no tabs restored)."""
        return f"{self.base_url}/lab/workspaces/{workspace}/tree/notebooks/{name}?reset&token={self.token}"

    def shut_down_kernels(self):
        """Stop every kernel, so the next notebook has both cores to itself."""
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def close(self):
        stop_process_group(self.process)
        self._log.close()


def launch_chromium(playwright, user_data_dir):
    """Debian's chromium driven by playwright (no browser download): a persistent context in a fresh
    profile folder, 1280x900, which is what a learner's laptop window shows."""
    flags = [flag for flag in CHROMIUM_FLAGS if flag != "--headless"]
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        headless=True,  # playwright adds --headless itself
        args=flags,
        viewport={"width": 1280, "height": 900},
    )


# ---- Driving a notebook in JupyterLab -------------------------------------------------------------

NOTEBOOK_STATE_JS = """() => {
    const panel = document.querySelector('.jp-NotebookPanel');
    if (!panel) return null;
    // A cell whose input is collapsed (a 'claims' cell) shows a placeholder with an empty prompt instead.
    const prompts = Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputArea .jp-InputPrompt'))
        .map(node => node.textContent.trim());
    const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    const errors = panel.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length;
    return {prompts, status: indicator ? indicator.dataset.status : null, errors};
}"""

# The parts of a live figure's box, in the order LiveFigure lays them out: the controls' row, alert,
# view (the picture and its text line, helpers/liveview.py), caption.
LIVE_PARTS_JS = """
    const view = box.querySelector(':scope > .course-live-view');
    const img = view.querySelector('img.course-live-image');
    const line = view.querySelector('.course-live-text');
    const children = Array.from(box.children);
    const alert = children[children.indexOf(view) - 1];
    const caption = children[children.indexOf(view) + 1];
"""

# Arms a timer on one live figure: it starts at the next key press (capture phase, before the slider
# sees it) and stops at the first change of the figure (the <img> src, or the divergence message).
ARM_MOVE_JS = (
    """(box) => {"""
    + LIVE_PARTS_JS
    + """
    const move = {start: null, end: null, src: img.src, alert: alert.textContent, caption: caption.textContent};
    window.__courseMove = move;
    document.addEventListener('keydown', () => { if (move.start === null) move.start = performance.now(); },
                              {capture: true, once: true});
    const observer = new MutationObserver(() => {
        if (move.start === null || move.end !== null) return;
        if (img.src !== move.src || alert.textContent !== move.alert) {
            move.end = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(img, {attributes: true});
    observer.observe(alert, {attributes: true, childList: true, subtree: true, characterData: true});
}"""
)

VIEW_JS = (
    """(box) => {"""
    + LIVE_PARTS_JS
    + """
    return {
        src: img.src,
        imageShown: getComputedStyle(view).display !== 'none' && img.naturalWidth > 0,
        alert: getComputedStyle(alert).display !== 'none' ? alert.textContent.trim() : '',
        caption: caption.textContent.trim(),
        alt: img.alt,
        text: line.textContent.trim(),
        live: line.getAttribute('aria-live'),
    };
}"""
)


def run_menu_command(page, menu, command):
    """Click a main-menu entry the way a person does: open `menu`, click the item for `command`."""
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()


def open_notebook(page, server, name, cell_count, timeout_seconds=60.0):
    """Open notebooks/<name>: the first time by loading JupyterLab at it, later with File > Open from
    Path… in the same page (loading the whole of JupyterLab again costs seconds per notebook).

    Returns once all `cell_count` cells are in the page (JupyterLab adds them in batches) and the
    kernel is idle.
    """
    if not page.url.startswith(server.base_url):
        page.goto(server.notebook_url(name, workspace="course-test"))
    else:
        run_menu_command(page, "File", "filebrowser:open-path")
        path_input = page.locator(".jp-Dialog input").first
        path_input.fill(f"notebooks/{name}")
        path_input.press("Enter")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell >> nth=0", timeout=60_000)
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current", has_text=name).wait_for(timeout=60_000)
    page.wait_for_selector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
    page.wait_for_function(
        "(count) => document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length === count",
        arg=cell_count,
        timeout=timeout_seconds * 1000,
    )


def save_notebook(page, server, name, timeout_seconds=15.0):
    """Save the open notebook notebooks/<name> with File > Save Notebook, as a learner would.

    Returns (before, after): the bytes of the server's file before and after the save.
    """
    path = server.root_dir / "notebooks" / name
    before, written = path.read_bytes(), path.stat().st_mtime_ns
    run_menu_command(page, "File", "docmanager:save")
    deadline = time.monotonic() + timeout_seconds
    previous = None
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: File > Save Notebook did not write the file within {timeout_seconds:.0f} s")
        time.sleep(0.1)
        if path.stat().st_mtime_ns == written:
            continue
        # The server writes the file in place (keeping a backup aside), so a read can catch it half
        # written: done when it is whole JSON and unchanged over two reads.
        current = path.read_bytes()
        if current == previous and _is_json(current):
            return before, current
        previous = current


def _is_json(data):
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def close_notebook(page, server):
    """Close the open notebook without saving (the copy is throwaway), then stop every kernel."""
    # A dialog left open by a failed check would swallow the clicks below.
    while page.locator(".jp-Dialog").count():
        page.keyboard.press("Escape")
        page.wait_for_timeout(100)
    run_menu_command(page, "File", "application:close-all")
    deadline = time.monotonic() + 15
    while page.locator(".jp-NotebookPanel").count() and time.monotonic() < deadline:
        discard = page.locator(".jp-Dialog button", has_text=re.compile(r"Discard|Don.t Save"))
        if discard.count():
            discard.first.click()
        time.sleep(0.05)
    server.shut_down_kernels()


def run_all(page, name, timeout_seconds=90.0):
    """Clear the open notebook's stored outputs, Run All Cells, and wait for the kernel to finish.

    Returns the final state {prompts, status, errors}. Clearing first means every output checked
    afterwards was made in this browser, and the prompts going from [ ] to [1]..[N] show the run.
    """
    run_menu_command(page, "Edit", "editmenu:clear-all")
    run_menu_command(page, "Run", "runmenu:run-all")
    deadline = time.monotonic() + timeout_seconds
    settled_since = None
    while time.monotonic() < deadline:
        state = page.evaluate(NOTEBOOK_STATE_JS)
        finished = state["status"] == "idle" and not any("*" in prompt for prompt in state["prompts"])
        started = all(prompt not in ("[ ]:", "") for prompt in state["prompts"]) or state["errors"]
        if finished and started:
            # Idle for a moment after the last cell: widget views render after the reply arrives.
            settled_since = settled_since or time.monotonic()
            if time.monotonic() - settled_since > 0.3:
                return state
        else:
            settled_since = None
        time.sleep(0.05)
    raise TimeoutError(f"{name}: cells still running after {timeout_seconds:.0f} s: {page.evaluate(NOTEBOOK_STATE_JS)}")


def live_figures(page):
    """Locator of every LiveFigure view: a widget box holding the controls, message, view, caption."""
    return page.locator(".jp-NotebookPanel .widget-vbox:has(> .course-live-view)")


def slider_position(slider):
    """(value, min, max) of a slider's handle as the browser sees it (indices for selection sliders)."""
    handle = slider.locator(".noUi-handle").first
    return tuple(float(handle.get_attribute(name)) for name in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))


def view_state(box):
    """What the learner sees of a live figure: image src, whether shown, message text, caption text."""
    return box.evaluate(VIEW_JS)


def move_slider(page, box, slider, key, timeout_ms=15_000):
    """Press `key` on the slider's handle and wait for the figure to change.

    Returns {ms: key press to changed view, before: view, after: view}; raises TimeoutError (from
    playwright) when the view does not change.
    """
    before = view_state(box)
    box.evaluate(ARM_MOVE_JS)
    slider.locator(".noUi-handle").first.press(key)
    page.wait_for_function("() => window.__courseMove.end !== null", timeout=timeout_ms, polling=10)
    milliseconds = page.evaluate("() => window.__courseMove.end - window.__courseMove.start")
    # The caption is a separate widget, updated right after the image in the same redraw.
    deadline = time.monotonic() + 0.3
    after = view_state(box)
    while before["caption"] and after["caption"] == before["caption"] and time.monotonic() < deadline:
        time.sleep(0.02)
        after = view_state(box)
    return {"ms": milliseconds, "before": before, "after": after}


# ---- Accessibility: axe-core and the keyboard ----------------------------------------------------

AXE_SCRIPT = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# The course's own content: what its cells put out, and its rendered text (markdown cells).
# Everything else is JupyterLab's (its chrome).
CONTENT_SELECTOR = ".jp-OutputArea-output, .jp-MarkdownOutput"
# Violations axe finds in JupyterLab 4.6's own interface, with the upstream issue that tracks each.
UPSTREAM = {
    "aria-allowed-attr": "jupyterlab/jupyterlab#16891 (aria-pressed on toolbar jp-buttons)",
    "aria-input-field-name": "jupyterlab/jupyterlab#4878 (the CodeMirror cell editor has no name)",
    "aria-required-children": "jupyterlab/jupyterlab#14765 (the cell list's role=feed)",
    "region": "jupyterlab/jupyterlab#14765 (landmarks around the notebook)",
}

AXE_RUN_JS = """async (content) => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => {
            const element = document.querySelector(node.target[0]);
            return {
                target: node.target.join(' '),
                html: node.html.slice(0, 200),
                content: !!(element && element.closest(content)),
            };
        }),
    }));
}"""

# Every <img> the cells put out, and whether it has alt text.
OUTPUT_IMAGES_JS = """(content) => Array.from(document.querySelectorAll(
        content.split(',').map((part) => part.trim() + ' img').join(', ')))
    .map((img) => ({alt: img.getAttribute('alt'), src: img.src.slice(0, 40)}))"""

FOCUSED_JS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    return {
        tag: element.tagName.toLowerCase(),
        classes: typeof element.className === 'string' ? element.className : '',
        name: element.getAttribute('aria-label') || (element.labels && element.labels[0] ?
              element.labels[0].textContent.trim() : '') || element.textContent.trim(),
        valuetext: element.getAttribute('aria-valuetext'),
        control: element.closest('.jp-NotebookPanel .widget-vbox:has(> .course-live-view) > .widget-hbox > *') ?
                 Array.from(element.closest('.widget-hbox').children).indexOf(
                     element.closest('.widget-vbox:has(> .course-live-view) > .widget-hbox > *')) : null,
    };
}"""


def run_axe(page):
    """axe-core's violations on the page as it stands: [{id, impact, help, nodes: [{target, html, content}]}],
    `content` telling whether a node lies in the course's own content (an output area)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(AXE_RUN_JS, CONTENT_SELECTOR)


def output_images(page):
    """[{alt, src}] of every image in the notebook's output areas (alt None when absent)."""
    return page.evaluate(OUTPUT_IMAGES_JS, CONTENT_SELECTOR)


def focused(page):
    """What has the keyboard focus: {tag, classes, name, valuetext, control} (control: its index in
    a live figure's row of controls, None outside one), or None."""
    return page.evaluate(FOCUSED_JS)
