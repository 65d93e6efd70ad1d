"""rnn_lesson.blas: one BLAS thread inside the block, the caller's thread count restored after it."""
import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from rnn_lesson.blas import one_blas_thread


def _blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_inside_the_block_blas_runs_on_one_thread_and_afterwards_as_before():
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        with one_blas_thread():
            assert _blas_threads() and set(_blas_threads()) == {1}
            product = np.ones((300, 300)) @ np.ones((300, 300))
        assert _blas_threads() == before
    assert product[0, 0] == 300.0


def test_the_count_is_restored_when_the_block_raises():
    before = _blas_threads()
    try:
        with one_blas_thread():
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert _blas_threads() == before
