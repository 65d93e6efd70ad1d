"""Start a Jupyter server for a test, talk to it over HTTP, and always stop it.

Used by test_lab.py (which starts it with `make lab`) and test_browser.py.
Everything Jupyter would write outside the served folder (runtime files,
settings, workspaces, kernel specs, IPython history) goes to a temporary
folder, so a test run leaves no trace in the repository or in ~/.jupyter.
"""
import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

STARTUP_SECONDS = 60
STOP_SECONDS = 15

# Offline and quiet: no browser, no update check or news feed, one port only.
QUIET_LAB_ARGS = [
    "--no-browser",
    "--ServerApp.port_retries=0",
    *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),  # CI runs as root
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.news_url=None",
]


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(tmp_path, settings=None):
    """os.environ with every Jupyter/IPython/matplotlib config and state folder under ``tmp_path``.

    settings: optional {"@jupyterlab/notebook-extension:tracker": {...}} JupyterLab
    user settings, written where this server will read them.
    """
    env = dict(os.environ)
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
    }
    for variable, name in folders.items():
        folder = tmp_path / "jupyter-home" / name
        folder.mkdir(parents=True, exist_ok=True)
        env[variable] = str(folder)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    for plugin_id, values in (settings or {}).items():
        package, plugin = plugin_id.split(":")
        target = tmp_path / "jupyter-home" / "lab-settings" / package / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    return env


def fetch(url, token, timeout=10, method="GET"):
    """Send a ``method`` request to ``url`` with the server's token; return (status, body text)."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"}, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8")


def wait_until_up(base_url, token, process, seconds=STARTUP_SECONDS):
    """Poll /api/status until the server answers; fail early if ``process`` exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Jupyter server exited with code {process.returncode} before answering")
        try:
            status, _ = fetch(f"{base_url}/api/status", token, timeout=2)
            if status == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"no answer from {base_url} within {seconds} s")


def stop(process, grace=STOP_SECONDS):
    """Stop the server's whole process group (make, jupyter, kernels).

    SIGTERM first (Jupyter then shuts its kernels down), SIGKILL for whatever
    is left after ``grace`` seconds.
    """
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):  # kernels or a jupyter left behind by make
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(STOP_SECONDS)
    deadline = time.monotonic() + STOP_SECONDS
    while any(is_running(pid) for pid in group_members(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)  # SIGKILL is delivered asynchronously


def group_members(pgid):
    """Process ids in process group ``pgid`` (from `ps`, so it works on Linux and macOS)."""
    table = subprocess.run(["ps", "-A", "-o", "pid=,pgid="], capture_output=True, text=True).stdout
    return [int(pid) for pid, group in (line.split() for line in table.splitlines()) if int(group) == pgid]


def is_running(pid):
    """True if ``pid`` exists and is not a zombie waiting to be reaped."""
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")


@contextlib.contextmanager
def running_server(command, cwd, env, port, token, log_path):
    """Run ``command`` (which must serve on 127.0.0.1:``port``) in its own process group.

    Yields the base URL once the server answers, and stops the group on exit,
    whatever happened. The server's output goes to ``log_path``; it is added
    to the error when the server does not come up.
    """
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            wait_until_up(base_url, token, process)
        except (RuntimeError, TimeoutError) as err:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise AssertionError(f"{err}\n--- server log (end) ---\n{tail}") from None
        yield base_url
    finally:
        stop(process)
