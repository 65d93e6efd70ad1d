"""The lessons' sliders work in a real browser: JupyterLab in Debian's chromium, driven by playwright.

For lesson 00 (which teaches how sliders work) and lessons 03-06 (each with an
explorer): open the notebook in JupyterLab, Run > Run All Cells, wait for the
kernel, then check that no cell failed, that every widget rendered, and that
moving a slider with the keyboard redraws the explorer's figure.

JupyterLab serves a temporary copy of notebooks/ and data/ (it autosaves what
it opens), with every Jupyter setting and state folder in that copy too.
Screenshots of each lesson land in pytest's temporary folder (named in failures).

Needs chromium (`apt-get install chromium`) and playwright from PyPI, which
never downloads a browser of its own here. Outside CI a missing one skips the
test; in CI (CI=true) it fails.
"""
import json
import os
import re
import secrets
import shutil
import sys

import pytest

from conftest import ROOT
from lab_server import QUIET_LAB_ARGS, fetch, free_port, isolated_env, running_server

pytestmark = pytest.mark.browser

PLAYWRIGHT_PIN = "playwright==1.65.2"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LESSONS = ("00", "03", "04", "05", "06")
LAB_SETTINGS = {
    # every cell stays in the page, so the checks below see them all
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
KERNEL_START_MS = 60_000
RUN_ALL_MS = 150_000
WIDGETS_MS = 30_000
REDRAW_MS = 60_000

NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
CELL_OUTPUT = ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output"  # not those inside widgets

# True once the notebook's kernel is connected and idle (the toolbar's indicator alone
# can read "idle" while the kernel is still starting; the status bar knows better).
KERNEL_IDLE = """() => {
    const indicator = document.querySelector('%s .jp-Notebook-ExecutionIndicator');
    const status = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(s => s.textContent);
    return indicator !== null && indicator.dataset.status === 'idle'
        && status.some(text => /\\|\\s*Idle$/.test(text.trim()));
}""" % NOTEBOOK

# True once the kernel is idle and every code cell ran, or a cell failed (Run All stops
# there), or JupyterLab opened a dialog (which waits for a person).
RUN_ALL_DONE = """() => {
    if (document.querySelector('.jp-Dialog')) return true;
    if (!(%s)()) return false;
    // "[ ]:" not run, "[*]:" queued or running, "[7]:" ran; a cell whose source is hidden shows none
    const prompts = [...document.querySelectorAll('%s .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
    const ran = prompts.some(p => /^\\[\\d+\\]:$/.test(p)) && !prompts.some(p => /^\\[[ *]?\\]:$/.test(p));
    const failed = [...document.querySelectorAll('%s %s')].some(o => o.textContent.includes('Traceback'));
    return ran || failed;
}""" % (KERNEL_IDLE, NOTEBOOK, NOTEBOOK, STDERR.replace("'", "\\'"))

# The cell outputs of the notebook on show that hold a widget, or should: a rendered widget,
# the "Loading widget..." placeholder, a display error, or a widget's plain-text repr (what
# JupyterLab shows when the widgets extension is missing). Returns {count, problems}.
WIDGET_OUTPUTS = """(selector) => {
    const broken = /Loading widget|Error displaying widget|^(VBox|HBox|Box|Output|\\w*Slider|Dropdown|Button|HTML)\\(/;
    const outputs = [...document.querySelectorAll(selector)].filter(o =>
        o.querySelector('.jupyter-widgets') || broken.test(o.textContent.trim()));
    const problems = outputs.filter(o => !o.querySelector('.jupyter-widgets') || broken.test(o.textContent.trim()));
    return {count: outputs.length, problems: problems.map(o => o.textContent.trim().slice(0, 200))};
}"""

IMAGE_CHANGED = """([explorer, before]) => {
    const image = explorer.querySelector('img');
    return image !== null && image.getAttribute('src') !== before;
}"""


def _lessons():
    notebooks = ROOT / "notebooks"
    return [path for number in LESSONS for path in sorted(notebooks.glob(f"{number}_*.ipynb"))]


def _unavailable(what):
    message = (f"{what}: install chromium (`apt-get install chromium`) and playwright "
               f"(`.venv/bin/pip install {PLAYWRIGHT_PIN}`) to run the browser test")
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}. CI must run it: .ci/run installs chromium.")
    pytest.skip(message)


def _require_browser():
    """Skip (outside CI) or fail (in CI) unless playwright and chromium are installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no chromium at {CHROMIUM}")


def test_a_missing_browser_skips_outside_ci_and_fails_in_ci(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install chromium.*pip install playwright=="):
        _require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run it"):
        _require_browser()


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=KERNEL_START_MS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of the course: yields (base URL, token)."""
    tmp = tmp_path_factory.mktemp("browser")
    course = tmp / "course"
    shutil.copytree(ROOT / "notebooks", course / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".virtual_documents"))
    shutil.copytree(ROOT / "data", course / "data")  # the lessons read ../data
    env = isolated_env(tmp, LAB_SETTINGS)
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={course / 'notebooks'}", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}", *QUIET_LAB_ARGS]
    with running_server(command, course, env, port, token, tmp / "lab.log") as base_url:
        yield base_url, token


def _shut_down_kernels(base_url, token):
    _, body = fetch(f"{base_url}/api/sessions", token)
    for session in json.loads(body):
        fetch(f"{base_url}/api/sessions/{session['id']}", token, method="DELETE")


def _failed_cells(notebook):
    texts = notebook.locator(STDERR).all_inner_texts()
    return [text[:1500] for text in texts if "Traceback" in text]


def _wait(page, script, milliseconds, arg=None):
    """Wait until the JavaScript function ``script`` returns something truthy; False if it never does."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(script, arg=arg, timeout=milliseconds)
    except PlaywrightTimeout:
        return False
    return True


def _run_all_cells(page, where):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    assert _wait(page, RUN_ALL_DONE, RUN_ALL_MS), f"{where}: Run All Cells did not finish in {RUN_ALL_MS} ms"
    dialog = page.locator(".jp-Dialog")
    assert not dialog.count(), f"{where}: JupyterLab asks: {dialog.first.inner_text()}"


def _move_first_slider(page, explorer):
    """Press an arrow key on the explorer's first slider (and its button, if it has one)."""
    handle = explorer.locator(".widget-slider .noUi-handle").first
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    button = explorer.locator("button.jupyter-button")
    if button.count():  # explorers that retrain wait for a click
        button.first.click()
    return handle.get_attribute("aria-valuenow")


@pytest.mark.parametrize("lesson", _lessons(), ids=lambda path: path.stem)
def test_lesson_runs_in_jupyterlab_and_its_sliders_redraw(lesson, browser, lab, tmp_path):
    base_url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    notebook = page.locator(NOTEBOOK)
    shot = tmp_path / f"{lesson.stem}.png"
    where = f"{lesson.name} (screenshot: {shot})"
    try:  # a workspace of its own, reset: no tabs restored from another lesson
        page.goto(f"{base_url}/lab/workspaces/{lesson.stem}/tree/{lesson.name}?reset&token={token}")
        assert _wait(page, KERNEL_IDLE, KERNEL_START_MS), f"{where}: no idle kernel after {KERNEL_START_MS} ms"
        _run_all_cells(page, where)
        failed = _failed_cells(notebook)
        assert not failed, f"{where}: a cell failed in JupyterLab:\n" + "\n---\n".join(failed)

        outputs = f"{NOTEBOOK} {CELL_OUTPUT}"
        _wait(page, f"(s) => {{ const w = ({WIDGET_OUTPUTS})(s); return w.count > 0 && w.problems.length === 0; }}",
              WIDGETS_MS, outputs)
        widgets = page.evaluate(WIDGET_OUTPUTS, outputs)
        assert not widgets["problems"], f"{where}: widgets did not render: {widgets['problems']}"
        assert widgets["count"] > 0 and notebook.locator(".widget-slider").count() > 0, f"{where}: no slider"

        explorer = notebook.locator(CELL_OUTPUT).filter(has=page.locator(".widget-slider")) \
            .filter(has=page.locator("img")).first
        explorer.scroll_into_view_if_needed()
        before = explorer.locator("img").first.get_attribute("src")
        value = _move_first_slider(page, explorer)
        assert _wait(page, IMAGE_CHANGED, REDRAW_MS, [explorer.element_handle(), before]), \
            f"{where}: moving the slider to {value} did not change the figure within {REDRAW_MS} ms"
        assert _wait(page, KERNEL_IDLE, REDRAW_MS), f"{where}: the kernel stayed busy after the redraw"
        assert "Error:" not in explorer.inner_text(), f"{where}: the redraw at {value} failed"
        failed = _failed_cells(notebook)
        assert not failed, f"{where}: the redraw at {value} raised:\n" + "\n".join(failed)
    finally:
        page.screenshot(path=shot)
        page.close()
        _shut_down_kernels(base_url, token)
