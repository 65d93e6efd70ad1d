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


def test_blocks_nest_and_only_the_outermost_restores():
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        with one_blas_thread():
            with one_blas_thread():
                assert set(_blas_threads()) == {1}
            assert set(_blas_threads()) == {1}  # the inner block ending does not restore early
        assert _blas_threads() == before


def _package_classes_that_fit():
    """Every class defined in rnn_lesson with a public ``fit``: the package's training entry points."""
    import importlib
    import inspect
    import pkgutil

    import rnn_lesson
    found = {}
    for info in pkgutil.walk_packages(rnn_lesson.__path__, "rnn_lesson."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, member in vars(module).items():
            if inspect.isclass(member) and member.__module__ == info.name and callable(getattr(member, "fit", None)):
                found[f"{info.name}.{name}"] = member
    return found


def test_every_class_that_trains_runs_every_public_method_on_one_blas_thread():
    from rnn_lesson.blas import WRAPPED
    classes = _package_classes_that_fit()
    assert {"RNN", "SequenceClassifier", "CharLM", "Seq2Seq"} <= {c.__name__ for c in classes.values()}
    for where, cls in classes.items():
        assert getattr(cls, WRAPPED, False), f"{where} is not decorated with blas.one_blas_thread_methods"
        for name in ("fit", "predict", "score", "sample", "loss", "hidden_states", "predict_beam"):
            member = getattr(cls, name, None)
            if member is not None:
                assert getattr(member, WRAPPED, False), f"{where}.{name} does not run with one BLAS thread"


def test_training_and_prediction_run_on_one_thread_whatever_the_caller_set():
    import rnn_lesson as rl
    seen = []

    def watch(epoch, model):
        seen.append(set(_blas_threads()))
    X = np.random.default_rng(0).standard_normal((4, 5, 2))
    with threadpool_limits(limits=2, user_api="blas"):
        model = rl.RNN(hidden_size=3, epochs=2, progress=False).fit((X, X[..., :1]), after_epoch=watch)
        lm = rl.CharLM(cell="gru", hidden_size=4, epochs=1, seq_len=4, batch_size=2, progress=False)
        lm.fit("abcabcabcabc", after_epoch=watch)
        outside = set(_blas_threads())
    assert seen == [{1}, {1}, {1}] and outside == {2}
    assert model.predict(X).shape == (4, 5, 1)


def test_the_decorator_wraps_class_and_static_methods_and_leaves_private_ones():
    from rnn_lesson.blas import WRAPPED, one_blas_thread_methods

    @one_blas_thread_methods
    class Probe:
        def public(self):
            return set(_blas_threads())

        def _private(self):
            return set(_blas_threads())

        @classmethod
        def build(cls):
            return set(_blas_threads())

        @staticmethod
        def helper():
            return set(_blas_threads())
    with threadpool_limits(limits=2, user_api="blas"):
        assert Probe().public() == Probe.build() == Probe.helper() == {1}
        assert Probe()._private() == {2}
    assert getattr(Probe, WRAPPED) and Probe.public.__name__ == "public"
