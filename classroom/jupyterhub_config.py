"""JupyterHub for a local trial of the course: one machine, 127.0.0.1 only, learners in a temp folder.

Started by classroom/start (which sets the environment below). Each start makes new secrets, so a
restart logs everyone out; the learners' files stay in their home folders.

Environment:
  CLASSROOM_STATE_DIR   folder for the hub's database and the learners' homes (required)
  CLASSROOM_PASSWORD    the class's shared password (8+ characters); made up and printed if unset
  CLASSROOM_PORT, CLASSROOM_HUB_PORT, CLASSROOM_PROXY_API_PORT   ports on 127.0.0.1 (8000, 8081, 8001)
  CLASSROOM_KERNEL_IDLE_SECONDS   a kernel that has run nothing this long is shut down (1200)
  CLASSROOM_SERVER_IDLE_SECONDS   a learner's server without activity this long is stopped (3600)
  CLASSROOM_CULL_EVERY_SECONDS    how often both are checked (60)

Learners: anyone with the class password logs in under a name of their choice and gets a home folder
CLASSROOM_STATE_DIR/homes/<name>. Every learner's server runs as the user who started the hub (no
system accounts), so learners are not separated from each other or from that user: fine for trying
the course out on your own machine, not for a class of strangers (see the README).

Memory: a learner who opens every notebook would otherwise keep every kernel until they log out.
Each learner's Jupyter Server shuts down a kernel once it has run nothing for
CLASSROOM_KERNEL_IDLE_SECONDS, even with its notebook still open in a tab (the notebook's saved file
is not touched; JupyterLab starts a new kernel when the learner runs a cell again), and
jupyterhub-idle-culler, a service of the hub, stops a learner's whole server after
CLASSROOM_SERVER_IDLE_SECONDS without activity (their files stay; the next visit starts it again).

On Zero to JupyterHub (Kubernetes) these settings carry over, in the chart's values instead of here:
the image (singleuser.image: built with repo2docker from binder/, which lists nbgitpuller), the
PYTHONPATH below (singleuser.extraEnv), the culling (cull.enabled and cull.timeout for servers, the
kernel settings below in a file from singleuser.extraFiles), and the nbgitpuller link (the README's,
with the hub's address). Ports, secrets, the spawner and the authenticator are the chart's and the
site's own.
"""

import os
import secrets
import sys
from pathlib import Path

CLASSROOM = Path(__file__).resolve().parent
STATE = Path(os.environ["CLASSROOM_STATE_DIR"]).resolve()
HOMES = STATE / "homes"
# The folder nbgitpuller clones the course into, inside a learner's home (the repository's name).
COURSE_FOLDER = "backprop-course"
LOOPBACK = "127.0.0.1"

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

c.JupyterHub.bind_url = f"http://{LOOPBACK}:{os.environ.get('CLASSROOM_PORT', '8000')}"
c.JupyterHub.hub_bind_url = f"http://{LOOPBACK}:{os.environ.get('CLASSROOM_HUB_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://{LOOPBACK}:{os.environ.get('CLASSROOM_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(CLASSROOM / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"

# New secrets at every start, none written to disk.
c.JupyterHub.cookie_secret = secrets.token_bytes(32)
c.ConfigurableHTTPProxy.auth_token = secrets.token_hex(32)

password = os.environ.get("CLASSROOM_PASSWORD") or secrets.token_urlsafe(9)
if "CLASSROOM_PASSWORD" not in os.environ:
    print(f"Class password (any learner name, this password): {password}", file=sys.stderr, flush=True)
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = password
c.Authenticator.allow_all = True

# JupyterHub's own spawner for users without system accounts: a process per learner, run as the
# hub's user, with HOME set to the learner's folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
# Notebooks import helpers from the learner's copy of the course, so the code and the notebooks a
# pull brings always match.
c.Spawner.environment = {
    "PYTHONPATH": lambda spawner: str(Path(spawner.home_dir) / COURSE_FOLDER),
    "JUPYTER_PLATFORM_DIRS": "1",
}
KERNEL_IDLE_SECONDS = int(os.environ.get("CLASSROOM_KERNEL_IDLE_SECONDS", "1200"))
SERVER_IDLE_SECONDS = int(os.environ.get("CLASSROOM_SERVER_IDLE_SECONDS", "3600"))
CULL_EVERY_SECONDS = int(os.environ.get("CLASSROOM_CULL_EVERY_SECONDS", "60"))
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE_SECONDS}",
    f"--MappingKernelManager.cull_interval={CULL_EVERY_SECONDS}",
    # A notebook left open in a tab keeps its kernel connected: culled all the same once idle.
    "--MappingKernelManager.cull_connected=True",
    # The course uses neither a terminal nor the language server: every server starts with less.
    "--ServerApp.terminals_enabled=False",
    "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
]
if os.geteuid() == 0:
    # Jupyter refuses root unless told; root is the usual user in a container.
    c.Spawner.args.append("--allow-root")
# A class arriving at once starts many servers together: give each time to come up.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# jupyterhub-idle-culler (classroom/requirements.txt) runs as a service of the hub, with only the
# permissions it needs: to see the learners' servers and their activity, and to stop a server.
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={SERVER_IDLE_SECONDS}",
            f"--cull-every={CULL_EVERY_SECONDS}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
