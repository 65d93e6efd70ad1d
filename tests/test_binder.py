"""binder/ builds the course as Binder (repo2docker) would, and it stays in step with requirements.txt.

Docker is not needed: repo2docker's Python build pack creates an environment
for the Python in binder/runtime.txt and runs `pip install -r
binder/requirements.txt` from the repository root. The slow test does the same
in a fresh virtual environment, then runs lesson 00 in a kernel of that
environment. (It reuses pip's download cache, where repo2docker uses none.)
"""
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from lab_server import isolated_env

BINDER = ROOT / "binder"
LESSON = ROOT / "notebooks" / "00_start_here.ipynb"
INSTALL_SECONDS = 900
RUN_SECONDS = 300


def requirement_lines(path):
    """The requirement lines of a pip requirements file, comments and blank lines dropped."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def test_binder_pins_are_exactly_the_course_pins():
    course = requirement_lines(ROOT / "requirements.txt")
    binder = requirement_lines(BINDER / "requirements.txt")
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[^=\s]+", line) for line in course), \
        "requirements.txt should hold exact pins (name==version) only"
    missing = sorted(set(course) - set(binder))
    extra = sorted(set(binder) - set(course) - {"-e ."})
    assert not missing and not extra, \
        f"binder/requirements.txt drifted from requirements.txt: missing {missing}, extra {extra}"
    assert len(binder) == len(set(binder)), "binder/requirements.txt lists a line twice"
    assert binder[-1] == "-e .", "binder/requirements.txt must end with `-e .` (installs rnn_lesson)"


def test_binder_python_is_the_course_python():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), f"binder/runtime.txt: {runtime!r} is not python-3.X"
    minor = int(runtime.split(".")[1])
    requires = re.search(r'requires-python\s*=\s*">=3\.(\d+)', (ROOT / "pyproject.toml").read_text()).group(1)
    assert minor >= int(requires), f"{runtime} is older than pyproject's requires-python >=3.{requires}"


RUN_LESSON = textwrap.dedent("""
    import json, sys
    import nbformat
    from nbclient import NotebookClient

    path, folder = sys.argv[1], sys.argv[2]
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import sys, rnn_lesson\\nprint(sys.prefix)\\nprint(rnn_lesson.__file__)"))
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": folder}}).execute()
    print(json.dumps(notebook.cells[-1].outputs[0]["text"].split()))
""")


def _run(command, seconds, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.mark.slow
def test_binder_environment_runs_lesson_00(tmp_path):
    assert LESSON.exists(), f"{LESSON.name} is missing: Binder opens the course there"
    venv = tmp_path / "binder-env"
    _run([sys.executable, "-m", "venv", venv], 120)
    python = venv / "bin" / "python"
    env = isolated_env(tmp_path)
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"  # as in the Binder image
    env.pop("PYTHONPATH", None)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    _run([python, "-m", "pip", "install", "--no-compile", "-q", "-r", "binder/requirements.txt"],
         INSTALL_SECONDS, cwd=ROOT, env=env)
    _run([python, "-m", "pip", "check"], 60, env=env)
    extensions = subprocess.run([venv / "bin" / "jupyter", "labextension", "list"], capture_output=True,
                                text=True, timeout=60, cwd=tmp_path, env=env)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", extensions.stdout + extensions.stderr)  # no colours
    assert re.search(r"@jupyter-widgets/jupyterlab-manager \S+ enabled\s+OK", listing), \
        f"the widgets extension is not enabled in the Binder environment:\n{listing}"

    script = tmp_path / "run_lesson.py"
    script.write_text(RUN_LESSON, encoding="utf-8")
    out = _run([python, script, LESSON, LESSON.parent], RUN_SECONDS, cwd=tmp_path, env=env)
    prefix, package = json.loads(out.strip().splitlines()[-1])
    assert prefix == str(venv), f"lesson 00 ran in {prefix}, not in the Binder environment"
    assert package == str(ROOT / "rnn_lesson" / "__init__.py"), f"rnn_lesson came from {package}"


def test_jupyterlab_starts_without_the_news_pop_up():
    """make lab's venv and Binder both install binder/overrides.json as JupyterLab's settings overrides."""
    overrides = json.loads((ROOT / "binder" / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    assert "binder/overrides.json" in (ROOT / "binder" / "postBuild").read_text()
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():  # the tests run in make's environment
        assert json.loads(installed.read_text()) == overrides
