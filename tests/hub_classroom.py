"""Plumbing for the hub test: the course's classroom JupyterHub (classroom/jupyterhub_config.py) started
on free ports of 127.0.0.1 in a temporary folder, a teacher's copy of the course for nbgitpuller to pull
from, the README's nbgitpuller link pointed at both, and nbgitpuller's own pull run directly.
"""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlparse

import psutil
import requests
from browser_lab import ROOT, free_port, start_logged, stop_process_group, wait_until_up

CLASSROOM = ROOT / "classroom"
JUPYTERHUB = Path(sys.executable).parent / "jupyterhub"
PROXY = CLASSROOM / "node_modules" / ".bin" / "configurable-http-proxy"
# The README's link: the one https URL that goes through the hub's git-pull.
README_LINK = re.compile(r"https://HUB/hub/user-redirect/git-pull\?\S+")


def readme_link():
    """The nbgitpuller link the README hands teachers, as written there."""
    links = README_LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    if len(links) != 1:
        raise AssertionError(f"README must give exactly one nbgitpuller link, gives {len(links)}")
    return links[0]


def local_link(link, hub_url, repository):
    """`link` with the hub replaced by `hub_url` and the repository by the local folder `repository`
    (a file:// URL); branch and urlpath stay as the README says."""
    parsed = urlparse(link)
    query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
    query["repo"] = Path(repository).as_uri()
    return f"{hub_url}{parsed.path}?{urlencode(query, quote_via=quote)}"


def git(*args, cwd):
    """Run git quietly in `cwd`, as a teacher with a name; returns its output."""
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="Teacher",
        GIT_AUTHOR_EMAIL="teacher@example.org",
        GIT_COMMITTER_NAME="Teacher",
        GIT_COMMITTER_EMAIL="teacher@example.org",
    )
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}:\n{result.stderr}")
    return result.stdout


def teacher_repository(folder, branch, commit="HEAD"):
    """A clone of this repository at folder/backprop-course, with `branch` at `commit` (the committed
    state by default): the teacher's course, which nbgitpuller pulls from."""
    destination = Path(folder) / "backprop-course"
    git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(destination), cwd=folder)
    revision = git("rev-parse", "--verify", f"{commit}^{{commit}}", cwd=ROOT).strip()
    git("checkout", "--quiet", "-B", branch, revision, cwd=destination)
    return destination


def nbgitpuller_pull(repository, destination, branch):
    """What following the README's link does to a learner's copy, without a hub or a browser:
    nbgitpuller's own pull (GitPuller, the code its git-pull handler runs, through its command line,
    whose pipes the test's process then need not close) of the local `repository` into `destination`:
    a clone the first time, then a merge with the learner's side winning. Returns its output."""
    command = [sys.executable, "-m", "nbgitpuller.pull", Path(repository).as_uri(), branch, str(destination)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"nbgitpuller's pull failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


class ClassroomHub:
    """The classroom's JupyterHub running from a temporary folder; `close()` stops it, its proxy and
    every learner's server."""

    def __init__(self, workdir, startup_seconds=60.0, environment=None):
        """`environment`: more variables for the hub (e.g. CLASSROOM_KERNEL_IDLE_SECONDS)."""
        self.state_dir = Path(workdir) / "classroom"
        self.state_dir.mkdir(parents=True)
        self.password = secrets.token_urlsafe(12)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(workdir) / "jupyterhub.log"
        env = dict(
            os.environ,
            JUPYTER_PLATFORM_DIRS="1",
            CLASSROOM_STATE_DIR=str(self.state_dir),
            CLASSROOM_PASSWORD=self.password,
            CLASSROOM_PORT=str(self.port),
            CLASSROOM_HUB_PORT=str(free_port()),
            CLASSROOM_PROXY_API_PORT=str(free_port()),
            **(environment or {}),
        )
        command = [str(JUPYTERHUB), "-f", str(CLASSROOM / "jupyterhub_config.py")]
        self.process, self._log = start_logged(command, self.log_path, env, cwd=self.state_dir)
        try:
            wait_until_up(self.process, self._answers, startup_seconds, "JupyterHub", self.log_tail)
        except BaseException:
            self.close()
            raise

    def _answers(self):
        with urllib.request.urlopen(f"{self.url}/hub/health", timeout=5) as reply:
            return reply.status == 200

    def home(self, learner):
        """A learner's home folder, where nbgitpuller puts the course."""
        return self.state_dir / "homes" / learner

    def log_tail(self, lines=40):
        """The last lines of the hub's log (hub, proxy and learners' servers), for failure messages."""
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def close(self):
        # The proxy and each learner's server run in sessions of their own: note them before the hub
        # stops them, and stop whichever outlives it.
        try:
            started = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            started = []
        stop_process_group(self.process, grace_seconds=15)
        for process in started:
            try:
                process.kill()
            except psutil.Error:
                pass
        self._log.close()


class HubError(RuntimeError):
    """A request to the hub or a learner's server that did not answer as expected."""


class HubUser:
    """A learner speaking HTTP to the hub and to their own server, as their browser would: the login
    form with the class password, then an API token of their own for everything else."""

    def __init__(self, hub, name):
        self.hub, self.name = hub, name
        self.http = requests.Session()
        self.token = None

    @property
    def server(self):
        """The URL of the learner's own Jupyter server, through the hub's proxy."""
        return f"{self.hub.url}/user/{self.name}"

    def request(self, method, url, expect=(200, 201, 202, 204), **kwargs):
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"token {self.token}"
        reply = self.http.request(method, url, headers=headers, timeout=120, **kwargs)
        if reply.status_code not in expect:
            raise HubError(f"{method} {url} -> {reply.status_code}: {reply.text[:200]}")
        return reply

    def log_in(self):
        """The login form with the class password; then a token of their own."""
        hub = self.hub.url
        self.request("GET", f"{hub}/hub/login")
        xsrf = self.http.cookies.get("_xsrf", "")
        form = {"username": self.name, "password": self.hub.password, "_xsrf": xsrf}
        self.request("POST", f"{hub}/hub/login?next=", data=form, allow_redirects=False, expect=(302,))
        # Logged in, the hub ties a new XSRF token to the learner; its pages carry it in a cookie.
        self.request("GET", f"{hub}/hub/home")
        xsrf = [cookie.value for cookie in self.http.cookies if cookie.name == "_xsrf"][-1]
        reply = self.request(
            "POST",
            f"{hub}/hub/api/users/{self.name}/tokens",
            json={"note": "a learner's own token", "expires_in": 3600},
            headers={"X-XSRFToken": xsrf},
        )
        self.token = reply.json()["token"]

    def server_ready(self):
        """True while the hub reports the learner's server as started and ready."""
        server = self.request("GET", f"{self.hub.url}/hub/api/users/{self.name}").json()["servers"].get("")
        return bool(server and server.get("ready"))

    def start_server(self, seconds=120.0):
        """Asks the hub for the learner's server and waits until it is ready."""
        self.request("POST", f"{self.hub.url}/hub/api/users/{self.name}/server", expect=(201, 202))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.server_ready():
                return
            time.sleep(0.3)
        raise HubError(f"server not ready within {seconds:.0f} s")
