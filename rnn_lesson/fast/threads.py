"""One BLAS thread while a compiled epoch runs: threads fight over the mid-sized products of a batch.

The fast epochs hand BLAS products such as dW_hh = H_prev^T dZ over the T·B rows of a batch:
big enough that OpenBLAS splits them over every core, small enough (a few million
multiply-adds) that waking and synchronising the threads costs as much as the work. On a
machine busy with anything else it costs far more: on the course's 2-core CI machine under
load, an LSTM epoch of ``cell_minibatch_epoch`` (T = 10, B = 64, H = 32) took 0.3 to 1.2 s with
OpenBLAS's two threads and 0.024 s with one. So the epochs run with BLAS limited to one thread
(``threadpoolctl``), and the thread count is put back afterwards.
"""
import contextlib

from threadpoolctl import threadpool_limits


@contextlib.contextmanager
def one_blas_thread():
    """Within the block, every BLAS library loaded in this process uses one thread."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield
