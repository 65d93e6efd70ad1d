"""One BLAS thread while a model trains: threads fight over the small and mid-sized products of a batch.

The fast epochs hand BLAS products such as dW_hh = H_prev^T dZ over the T·B rows of a batch:
big enough that OpenBLAS splits them over every core, small enough (a few million
multiply-adds) that waking and synchronising the threads costs as much as the work. On a
machine busy with anything else it costs far more: on the course's 2-core CI machine under
load, an LSTM epoch of ``cell_minibatch_epoch`` (T = 10, B = 64, H = 32) took 0.3 to 1.2 s with
OpenBLAS's two threads and 0.024 s with one. So the epochs run with BLAS limited to one thread
(``threadpoolctl``), and the thread count is put back afterwards. The language model
(``rl.CharLM``) trains, scores and samples under the same limit, whatever its engine: lesson 13
ran in 145 s with two threads on that machine under load and in 29 s with one, to the same
numbers (a product's entries are summed in the same order whatever the thread count).

The rule is applied in one place, so that no new path can miss it: every public method of the
package's models (``rl.RNN``, ``rl.SequenceClassifier``, ``rl.CharLM``, ``Seq2Seq``) is wrapped by
:func:`one_blas_thread_methods`, and ``tests/test_blas.py`` fails for any class of the package
with a ``fit`` method that is not. Blocks nest for free (only the outermost one limits), and the
caller's thread count is restored when the outermost block ends, also on an error.
"""
import contextlib
import functools
import threading

from threadpoolctl import ThreadpoolController

_controller = None  # made on first use: finding the BLAS libraries costs about 0.4 ms, a limit after that 8 us
_lock = threading.Lock()
_depth = 0
WRAPPED = "__one_blas_thread__"  # set on every wrapped method and class, so a test can find them


@contextlib.contextmanager
def one_blas_thread():
    """Within the block, every BLAS library loaded in this process uses one thread."""
    global _controller, _depth
    with _lock:
        outermost = _depth == 0
        _depth += 1
    try:
        if not outermost:
            yield
            return
        if _controller is None:
            _controller = ThreadpoolController()
        with _controller.limit(limits=1, user_api="blas"):
            yield
    finally:
        with _lock:
            _depth -= 1


def with_one_blas_thread(function):
    """Decorate ``function`` so that every call runs inside :func:`one_blas_thread`."""
    @functools.wraps(function)
    def limited(*args, **kwargs):
        with one_blas_thread():
            return function(*args, **kwargs)
    setattr(limited, WRAPPED, True)
    return limited


def one_blas_thread_methods(cls):
    """Class decorator: every public method (and class or static method) of ``cls`` runs with one BLAS thread.

    Public means defined in the class body with a name not starting with ``_``; properties are
    left alone (they compute nothing heavy). Returns ``cls``, marked so that a test can check it.
    """
    for name, member in list(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, (classmethod, staticmethod)):
            setattr(cls, name, type(member)(with_one_blas_thread(member.__func__)))
        elif callable(member) and not isinstance(member, type):
            setattr(cls, name, with_one_blas_thread(member))
    setattr(cls, WRAPPED, True)
    return cls
