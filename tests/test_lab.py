"""`make lab` serves JupyterLab on the lessons: start it on 127.0.0.1, fetch /lab and the
lesson listing, stop it, and check it left nothing behind."""
import json
import secrets
import shutil
import subprocess
import sys
import urllib.error

import pytest

from conftest import ROOT
from lab_server import QUIET_LAB_ARGS, fetch, free_port, isolated_env, running_server

STAMP = ".venv/.installed"  # the Makefile's "installed" marker
INSTALL_SECONDS = 900


def _lessons_in_repo():
    return sorted(path.name for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _traces():
    """Files JupyterLab writes next to notebooks it saved or analysed."""
    return {p for name in (".ipynb_checkpoints", ".virtual_documents") for p in (ROOT / "notebooks").rglob(name)}


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_on_the_lessons(tmp_path):
    make = shutil.which("make")
    assert make, "`make` is not installed"
    env = isolated_env(tmp_path)
    if subprocess.run([make, "-q", STAMP], cwd=ROOT, env=env).returncode != 0:
        # `make lab` would install first; do it here so the server's start-up budget is its own
        subprocess.run([make, "install"], cwd=ROOT, env=env, check=True, timeout=INSTALL_SECONDS,
                       stdout=subprocess.DEVNULL)
    traces_before = _traces()
    port, token = free_port(), secrets.token_hex(16)
    lab_args = ["--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}", *QUIET_LAB_ARGS]
    command = [make, "lab", "LAB_ARGS=" + " ".join(lab_args)]

    with running_server(command, ROOT, env, port, token, tmp_path / "lab.log") as base_url:
        status, page = fetch(f"{base_url}/lab", token)
        assert status == 200
        assert "<title>JupyterLab</title>" in page, "/lab did not return the JupyterLab page"

        status, body = fetch(f"{base_url}/api/contents?content=1", token)
        listing = json.loads(body)
        assert status == 200 and listing["type"] == "directory"
        served = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
        lessons = _lessons_in_repo()
        assert lessons, "no lessons in notebooks/"
        assert set(lessons) <= set(served), f"`make lab` serves {served}, not the lessons {lessons}"

        status, body = fetch(f"{base_url}/api/contents/{lessons[0]}?content=0", token)
        assert status == 200 and json.loads(body)["type"] == "notebook"

    with pytest.raises(urllib.error.URLError):  # the server is gone
        fetch(f"{base_url}/api/status", token, timeout=2)
    assert _traces() == traces_before, "JupyterLab wrote into notebooks/"


def test_stop_leaves_no_process_behind(tmp_path):
    """The helper kills the whole group: a child that ignores SIGTERM is killed too."""
    from lab_server import is_running, stop

    script = ("import signal, subprocess, sys, time\n"
              "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
              "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
              "print(child.pid, flush=True)\n"
              "time.sleep(600)\n")
    process = subprocess.Popen([sys.executable, "-c", script],
                               stdout=subprocess.PIPE, start_new_session=True, text=True)
    child_pid = int(process.stdout.readline())
    stop(process, grace=0.5)
    assert process.returncode is not None
    assert not is_running(child_pid), "the server's child process survived"

