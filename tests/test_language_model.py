"""rl.CharLM: training, loss, sampling (same seed, same text), bad input named, save and load."""
import json
import zipfile

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.language import persistence
from rnn_lesson.models.archive import read_members, write_atomically

TEXT = "the cat sat on the mat.\nthe dog sat on the log.\n" * 12
SMALL = dict(hidden_size=8, seq_len=8, batch_size=4, epochs=2, learning_rate=0.01, progress=False)


@pytest.fixture(scope="module")
def fitted():
    return rl.CharLM(cell="gru", **SMALL).fit(TEXT)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_training_lowers_the_loss_below_the_bigram_on_a_repetitive_text(cell):
    model = rl.CharLM(cell=cell, **{**SMALL, "epochs": 15, "hidden_size": 16})
    assert model.fit(TEXT) is model
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    vocab = model.vocab_
    ids = vocab.encode(TEXT)
    bigram = rl.language.baselines.bigram_loss(rl.language.bigram_probabilities(ids, len(vocab)), ids)
    assert model.loss(TEXT) < bigram


def test_same_seed_same_numbers_and_samples(fitted):
    again = rl.CharLM(cell="gru", **SMALL).fit(TEXT)
    assert all(np.array_equal(fitted.params_[k], again.params_[k]) for k in fitted.params_)
    assert fitted.sample(50, seed=3) == again.sample(50, seed=3) == fitted.sample(50, seed=3)
    assert fitted.sample(50, seed=3) != fitted.sample(50, seed=4)
    assert fitted.sample(50) == fitted.sample(50, seed=fitted.seed)


def test_sample_lengths_prompt_top_k_and_temperature(fitted):
    assert len(fitted.sample(37)) == 37 and fitted.sample(0) == ""
    assert set(fitted.sample(200, prompt="the ")) <= set(fitted.vocab_.chars)
    greedy = fitted.sample(30, top_k=1, prompt="the")
    assert greedy == fitted.sample(30, top_k=1, prompt="the", seed=99)  # top-1 draws nothing at random
    assert greedy == fitted.sample(30, temperature=1e-3, prompt="the", seed=5)
    cold, hot = fitted.sample(400, temperature=0.3, seed=1), fitted.sample(400, temperature=5.0, seed=1)
    assert len(set(hot)) > len(set(cold))


def test_the_loss_is_the_mean_over_every_prediction(fitted):
    text = TEXT[:30]
    ids = fitted.vocab_.encode(text)
    state = rl.language.zero_state("gru", 1, 8)
    loss, _, _ = rl.language.lm_loss_and_grads("gru", fitted.params_, ids[:-1, None], ids[1:, None], state)
    assert fitted.loss(text) == pytest.approx(loss, rel=1e-12)


@pytest.mark.parametrize("call, error, words", [
    (lambda m: m.sample(5, prompt="thé"), ValueError, "'é'"),
    (lambda m: m.sample(5, prompt="Q"), ValueError, "'Q' at position 0"),
    (lambda m: m.sample(5, temperature=0), ValueError, "temperature"),
    (lambda m: m.sample(5, temperature=-1.0), ValueError, "temperature"),
    (lambda m: m.sample(5, top_k=0), ValueError, "top_k"),
    (lambda m: m.sample(-1), ValueError, "n_chars"),
    (lambda m: m.sample(5, seed=-2), ValueError, "seed"),
    (lambda m: m.sample(5, seed=1.5), TypeError, "seed"),
    (lambda m: m.loss("x"), ValueError, "at least 2"),
    (lambda m: m.loss("the zebra"), ValueError, "'z' at position 4"),
    (lambda m: m.loss(b"the"), TypeError, "str"),
])
def test_bad_input_is_named(fitted, call, error, words):
    with pytest.raises(error) as caught:
        call(fitted)
    assert words in str(caught.value)


@pytest.mark.parametrize("kwargs, text, error, words", [
    ({"cell": "transformer"}, TEXT, ValueError, "unknown cell 'transformer'"),
    ({"hidden_size": 0}, TEXT, ValueError, "hidden_size"),
    ({"hidden_size": 10 ** 6}, TEXT, ValueError, "at most"),
    ({"epochs": 2.0}, TEXT, TypeError, "epochs"),
    ({"stateful": 1}, TEXT, TypeError, "stateful"),
    ({"optimizer": "lbfgs"}, TEXT, ValueError, "unknown optimizer"),
    ({"engine": "turbo"}, TEXT, ValueError, "available: reference, fast"),
    ({}, "", ValueError, "empty"),
    ({}, "abc", ValueError, "too short for batch_size=4"),
    ({}, None, TypeError, "str"),
])
def test_bad_hyperparameters_and_texts_fail_before_training(kwargs, text, error, words):
    with pytest.raises(error) as caught:
        rl.CharLM(**{**SMALL, **kwargs}).fit(text)
    assert words in str(caught.value)


def test_a_validation_text_outside_the_vocabulary_is_named():
    with pytest.raises(ValueError, match="validation has the character 'z'"):
        rl.CharLM(**SMALL).fit(TEXT, validation="the zoo")


def test_history_keeps_the_validation_loss_and_after_epoch_can_stop():
    model = rl.CharLM(**{**SMALL, "epochs": 5}).fit(TEXT, validation=TEXT[:100], after_epoch=lambda e, m: e == 2)
    assert [h["epoch"] for h in model.history_] == [1, 2] and len(model.loss_curve_) == 2
    assert model.history_[-1]["validation_loss"] == pytest.approx(model.loss(TEXT[:100]))


def test_max_seconds_stops_after_a_chunk():
    model = rl.CharLM(**{**SMALL, "epochs": 1000, "max_seconds": 1e-6}).fit(TEXT)
    assert len(model.loss_curve_) == 1


def test_without_carrying_the_state_the_numbers_change():
    carried = rl.CharLM(**SMALL).fit(TEXT)
    reset = rl.CharLM(**SMALL, stateful=False).fit(TEXT)
    assert carried.loss_curve_[0] != reset.loss_curve_[0]


def test_an_unfitted_model_says_so():
    with pytest.raises(rl.NotFittedError):
        rl.CharLM().sample(5)


def test_save_and_load_round_trip(fitted, tmp_path):
    path = fitted.save(tmp_path / "model")
    assert path.name == "model.npz"
    loaded = rl.CharLM.load(tmp_path / "model")
    assert loaded.get_params() == fitted.get_params() and loaded.vocab_ == fitted.vocab_
    assert all(np.array_equal(loaded.params_[k], fitted.params_[k]) for k in fitted.params_)
    assert loaded.sample(80, seed=2, prompt="the") == fitted.sample(80, seed=2, prompt="the")
    untimed = [{k: v for k, v in record.items() if k != "seconds"} for record in fitted.history_]
    assert loaded.loss_curve_ == fitted.loss_curve_ and loaded.history_ == untimed  # timings stay in memory
    assert all("seconds" in record for record in fitted.history_)


def test_a_corrupted_file_is_a_clear_error(fitted, tmp_path):
    path = fitted.save(tmp_path / "model.npz")
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\x00" * 64
    (tmp_path / "broken.npz").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="broken.npz"):
        rl.CharLM.load(tmp_path / "broken.npz")
    (tmp_path / "text.npz").write_text("not an archive")
    with pytest.raises(ValueError, match="is not a model saved by CharLM.save"):
        rl.CharLM.load(tmp_path / "text.npz")
    with pytest.raises(FileNotFoundError):
        rl.CharLM.load(tmp_path / "missing.npz")


def test_a_foreign_checkpoint_is_refused(fitted, tmp_path):
    rnn_path = rl.RNN(hidden_size=2, epochs=1, progress=False).fit(rl.Dataset.from_arrays(np.zeros((2, 3, 1)),
                                                                                np.zeros((2, 3, 1)))).save(
        tmp_path / "rnn.npz")
    with pytest.raises(ValueError, match="rnn.npz"):
        rl.CharLM.load(rnn_path)
    path = fitted.save(tmp_path / "model.npz")
    arrays = read_members(path, persistence.MEMBERS)
    for change, words in [({"format": "rnn_lesson.RNN"}, "does not describe"),
                          ({"vocabulary": "\nab"}, "W_xh"),
                          ({"hyperparameters": {**fitted.get_params(), "hidden_size": 9}}, "shape")]:
        state = {**json.loads(arrays["state"].tobytes()), **change}
        write_atomically(tmp_path / "changed.npz",
                         {**arrays, "state": np.frombuffer(json.dumps(state).encode(), dtype=np.uint8)})
        with pytest.raises(ValueError, match=words):
            rl.CharLM.load(tmp_path / "changed.npz")
    with zipfile.ZipFile(tmp_path / "extra.npz", "w") as archive:
        for name in persistence.MEMBERS:
            with archive.open(name + ".npy", "w") as member:
                np.lib.format.write_array(member, arrays[name])
        archive.writestr("payload.pkl", b"x")
    with pytest.raises(ValueError, match="payload.pkl"):
        rl.CharLM.load(tmp_path / "extra.npz")


def test_the_signature_is_the_defaults_table():
    import inspect

    from rnn_lesson.language.hyperparameters import DEFAULTS
    assert {k: p.default for k, p in inspect.signature(rl.CharLM).parameters.items()} == DEFAULTS
    assert repr(rl.CharLM()) == "CharLM()" and repr(rl.CharLM(cell="gru")) == "CharLM(cell='gru')"


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_fast_engine_trains_to_the_reference_weights(cell):
    """engine="fast" (rl.fast.lm_loss_and_grads) and the reference take the same steps, to ~1e-10."""
    text = "anna\nemma\nolivia\nava\nisabella\nsophia\nmia\ncharlotte\n" * 6
    kwargs = {**SMALL, "cell": cell, "epochs": 2}
    slow, fast = rl.CharLM(**kwargs).fit(text), rl.CharLM(**kwargs, engine="fast").fit(text)
    for key, value in slow.params_.items():
        np.testing.assert_allclose(fast.params_[key], value, rtol=0, atol=1e-10, err_msg=key)
    np.testing.assert_allclose(fast.loss_curve_, slow.loss_curve_, rtol=1e-12)
    assert fast.sample(40, seed=3) == slow.sample(40, seed=3)


def test_each_fast_training_run_has_its_own_workspaces():
    first, second = rl.language.get_engine("fast"), rl.language.get_engine("fast")
    assert first is not second and rl.language.get_engine("reference") is rl.language.lm_loss_and_grads
