"""rl.fast.jit: where compiled kernels are cached, and that a cached kernel is never stale."""
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from numba.core.dispatcher import Dispatcher

import rnn_lesson
from rnn_lesson.fast import batch, epochs, jit, sequence, vecmath

RUN_ROW = ("import numpy as np\n"
           "from rnn_lesson.fast import batch\n"
           "row = np.zeros(3)\n"
           "batch._activate_row(row, np.zeros(3), np.full(3, 0.5), 0)\n"
           "print(row[0], sum(batch._activate_row.stats.cache_hits.values()))\n")


def _run_in(package_parent, script):
    """Run ``script`` in a new process that imports the rnn_lesson found in ``package_parent``."""
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_CACHE_DIR"}
    env["PYTHONPATH"] = str(package_parent)
    result = subprocess.run([sys.executable, "-c", script], cwd=package_parent, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    value, hits = result.stdout.split()
    return float(value), int(hits)


def test_the_stamp_changes_when_any_file_of_the_folder_does(tmp_path):
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(f"# {name}\n")
    before = jit.sources_stamp(tmp_path)
    assert jit.sources_stamp(tmp_path) == before
    (tmp_path / "b.py").write_text("# b.py, edited\n")
    assert jit.sources_stamp(tmp_path) != before


@pytest.mark.skipif(jit.CACHE_DIR is None, reason="no writable cache folder: kernels are not cached")
def test_every_kernel_of_the_folder_is_cached_with_the_folder_stamp():
    kernels = [value for module in (vecmath, sequence, batch, epochs) for value in vars(module).values()
               if isinstance(value, Dispatcher) and value.__module__ == module.__name__]
    assert len(kernels) >= 12
    for kernel in kernels:
        assert isinstance(kernel._cache, jit._KernelCache), kernel.__name__
        assert kernel._cache._impl.locator.get_source_stamp() == jit.sources_stamp()


def test_a_cached_kernel_sees_an_edit_of_a_function_it_calls_in_another_file(tmp_path):
    # a copy of the package, so that its source can be edited; the kernels cache in its __pycache__
    shutil.copytree(os.path.dirname(rnn_lesson.__file__), tmp_path / "rnn_lesson",
                    ignore=shutil.ignore_patterns("__pycache__"))
    tanh = pytest.approx(np.tanh(0.5), rel=1e-15)
    assert _run_in(tmp_path, RUN_ROW) == (tanh, 0), "compiled in the first session"
    assert _run_in(tmp_path, RUN_ROW) == (tanh, 1), "loaded from the cache in the second"
    vecmath = tmp_path / "rnn_lesson" / "fast" / "vecmath.py"
    source = vecmath.read_text()
    assert "return 1.0 - 2.0 / (1.0 + _exp(2.0 * z))" in source
    vecmath.write_text(source.replace("return 1.0 - 2.0 / (1.0 + _exp(2.0 * z))", "return 0.25"))
    assert _run_in(tmp_path, RUN_ROW) == (0.25, 0), "batch.py's kernel compiled again with vecmath's new _tanh"
