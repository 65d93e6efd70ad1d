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
"""
import contextlib

from threadpoolctl import threadpool_limits


@contextlib.contextmanager
def one_blas_thread():
    """Within the block, every BLAS library loaded in this process uses one thread."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield
