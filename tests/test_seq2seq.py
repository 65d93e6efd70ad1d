"""rl.seq2seq: the task, the vocabulary, padded batches, the encoder-decoder's gradients, decoding, the estimator."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.seq2seq import (Seq2Seq, Vocabulary, accuracy_by_length, attention, batches, decode, exact_match,
                                make_split, network, reverse_rule, tasks)
from rnn_lesson.seq2seq.vocab import BOS_ID, EOS_ID, PAD_ID

VOCAB = Vocabulary(tasks.DIGITS)
PAIRS = [("40718", "81704"), ("925", "529"), ("3", "3")]


# --- vocabulary and task ---------------------------------------------------------------------------------------

def test_vocabulary_round_trip_and_specials():
    assert VOCAB.tokens[:3] == ("<pad>", "<s>", "</s>") and len(VOCAB) == 13
    ids = VOCAB.encode("40718")
    assert ids.dtype == np.int64 and VOCAB.decode(ids) == "40718"
    assert VOCAB.decode([BOS_ID, *ids, EOS_ID, 5, PAD_ID]) == "40718"  # stops at EOS, skips BOS


@pytest.mark.parametrize("text, phrase", [("40a18", "'a' at position 2"), ("12 ", "' ' at position 2"),
                                          ("", "is empty"), (["1", "<s>"], "'<s>' at position 1")])
def test_vocabulary_names_the_bad_token_and_its_position(text, phrase):
    with pytest.raises(ValueError, match="source") as err:
        VOCAB.encode(text, "source")
    assert phrase in str(err.value)


def test_vocabulary_refuses_bad_symbols():
    with pytest.raises(ValueError, match="listed twice"):
        Vocabulary("1231")
    with pytest.raises(ValueError, match="reserved"):
        Vocabulary(["a", "</s>"])
    with pytest.raises(TypeError):
        VOCAB.encode(12345)
    with pytest.raises(TypeError, match="position 1 must be a str, got list"):
        VOCAB.encode(["1", ["2"]])
    with pytest.raises(ValueError, match="not in the vocabulary"):
        VOCAB.decode([99])


def test_split_is_disjoint_seeded_and_reversed():
    train, valid, test = make_split(200, 20, 30, 3, 6, seed=4)
    assert (len(train), len(valid), len(test)) == (200, 20, 30)
    sources = [s for s, _ in train + valid + test]
    assert len(set(sources)) == len(sources)
    assert all(t == s[::-1] and 3 <= len(s) <= 6 for s, t in train + valid + test)
    assert make_split(200, 20, 30, 3, 6, seed=4) == (train, valid, test)
    assert make_split(200, 20, 30, 3, 6, seed=5) != (train, valid, test)


def test_task_bounds_refuse_impossible_or_huge_requests():
    with pytest.raises(ValueError, match="at most"):
        tasks.make_sources(60, 1, 1)  # only 10 one-digit strings exist
    with pytest.raises(ValueError, match="max_length"):
        tasks.make_sources(5, 3, 41)
    with pytest.raises(TypeError):
        tasks.make_sources(5, 3, 4, seed=1.5)


def test_metrics():
    assert exact_match(["12", "34"], ["12", "43"]) == 0.5
    assert accuracy_by_length(["1", "22", "33"], ["1", "22", "00"], ["1", "22", "33"]) == {1: (1.0, 1), 2: (0.5, 2)}
    assert reverse_rule("123") == "321"
    with pytest.raises(ValueError):
        exact_match(["1"], ["1", "2"])


# --- batches ---------------------------------------------------------------------------------------------------

def test_batch_pads_and_labels():
    batch = batches.Batch.of_pairs(VOCAB, PAIRS)
    assert batch.source_ids.shape == (5, 3) and batch.source_mask.sum(axis=0).tolist() == [5, 3, 1]
    assert batch.decoder_inputs[0].tolist() == [BOS_ID] * 3
    np.testing.assert_array_equal(batch.labels[:, 1], [*VOCAB.encode("529"), EOS_ID, -1, -1])
    np.testing.assert_array_equal(batch.decoder_inputs[1:4, 1], VOCAB.encode("529"))
    assert (batch.decoder_inputs[4:, 1] == PAD_ID).all()


def test_batch_errors_name_the_text():
    with pytest.raises(ValueError, match=r"sources\[1\]: the token 'x' at position 0"):
        batches.Batch(VOCAB, ["12", "x"], ["21", "x"])
    with pytest.raises(ValueError, match=r"targets\[0\] is empty"):
        batches.Batch(VOCAB, ["12"], [""])
    with pytest.raises(ValueError, match="2 sources for 1 targets"):
        batches.Batch(VOCAB, ["1", "2"], ["1"])


# --- attention and the whole model against finite differences --------------------------------------------------

def test_attention_gradients_with_a_mask():
    rng = np.random.default_rng(0)
    queries, keys = rng.standard_normal((3, 2, 4)), rng.standard_normal((5, 2, 4))
    upstream = rng.standard_normal((3, 2, 4))
    mask = np.ones((5, 2), dtype=bool)
    mask[3:, 1] = False
    context, weights, cache = attention.forward(queries, keys, mask)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-14)
    assert (weights[:, 1, 3:] == 0).all()
    dq, dk = attention.backward(upstream, cache)
    numeric = rl.numerical_gradients(lambda a: attention.forward(a["q"], a["k"], mask)[0],
                                     {"q": queries.copy(), "k": keys.copy()}, upstream)
    assert rl.relative_error(dq, numeric["q"]) < 1e-9
    assert rl.relative_error(dk, numeric["k"]) < 1e-9
    assert (dk[3:, 1] == 0).all()


def test_attention_weights_gradient_through_the_softmax():
    rng = np.random.default_rng(1)
    queries, keys = rng.standard_normal((2, 1, 3)), rng.standard_normal((4, 1, 3))
    upstream = rng.standard_normal((2, 1, 4))
    # an upstream gradient on the weights themselves, pulled back through the softmax and the scores
    numeric = rl.numerical_gradient(lambda q: attention.forward(q, keys)[1], queries.copy(), upstream)
    _, weights, _ = attention.forward(queries, keys)
    dscores = weights * (upstream - np.sum(weights * upstream, axis=-1, keepdims=True))
    analytic = np.einsum("snt,tnh->snh", dscores, keys) / np.sqrt(3)
    assert rl.relative_error(analytic, numeric) < 1e-9


def test_attention_refuses_a_bad_mask():
    q, k = np.zeros((1, 2, 3)), np.zeros((4, 2, 3))
    with pytest.raises(ValueError, match="bool array of shape"):
        attention.forward(q, k, np.ones((4, 2)))
    empty = np.ones((4, 2), dtype=bool)
    empty[:, 1] = False
    with pytest.raises(ValueError, match="sequence 1"):
        attention.forward(q, k, empty)
    with pytest.raises(ValueError, match="same N and H"):
        attention.forward(np.zeros((1, 3, 3)), k)


@pytest.mark.parametrize("cell", network.CELLS)
@pytest.mark.parametrize("use_attention", [False, True])
def test_whole_model_against_finite_differences(cell, use_attention):
    batch = batches.Batch.of_pairs(VOCAB, PAIRS)
    params = network.init_params(len(VOCAB), 4, cell, use_attention, seed=16)
    logits, _, cache = network.forward(params, cell, batch)
    dlogits = np.random.default_rng(2).standard_normal(logits.shape)
    grads = network.backward(dlogits, cache)
    numeric = rl.numerical_gradients(lambda p: network.forward(p, cell, batch)[0], params, dlogits)
    for key in params:
        assert rl.relative_error(grads[key], numeric[key]) < 1e-8, key


def test_loss_gradient_against_finite_differences():
    """The loss (a mean over 13 labelled steps) has small gradients: h = 1e-4 keeps rounding below the error."""
    batch = batches.Batch.of_pairs(VOCAB, PAIRS)
    params = network.init_params(len(VOCAB), 4, "gru", True, seed=16)
    _, grads = network.loss_and_grads(params, "gru", batch)
    numeric = rl.numerical_gradients(lambda p: network.loss_and_grads(p, "gru", batch)[0], params, h=1e-4)
    for key in params:
        assert rl.relative_error(grads[key], numeric[key]) < 1e-7, key


def test_padding_does_not_leak_into_loss_or_gradients():
    params = network.init_params(len(VOCAB), 6, "gru", True, seed=3)
    loss, grads = network.loss_and_grads(params, "gru", batches.Batch.of_pairs(VOCAB, PAIRS))
    steps = np.array([len(t) + 1 for _, t in PAIRS])
    alone = [network.loss_and_grads(params, "gru", batches.Batch.of_pairs(VOCAB, [pair])) for pair in PAIRS]
    assert loss == pytest.approx(sum(n * a[0] for n, a in zip(steps, alone)) / steps.sum(), rel=1e-12)
    for key in params:
        np.testing.assert_allclose(grads[key], sum(n * a[1][key] for n, a in zip(steps, alone)) / steps.sum(),
                                   rtol=1e-9, atol=1e-14)


def test_init_params_checks():
    with pytest.raises(ValueError, match="cell must be one of"):
        network.init_params(13, 4, "lstm")
    with pytest.raises(TypeError, match="True or False"):
        network.init_params(13, 4, "gru", attention=1)
    assert network.init_params(13, 4, "gru", True)["W_out"].shape == (8, 13)
    assert network.init_params(13, 4, "rnn", False)["W_out"].shape == (4, 13)


# --- decoding ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("use_attention", [False, True])
def test_greedy_equals_teacher_forcing_on_its_own_outputs(use_attention):
    """Fed its own greedy outputs as if they were the truth, the teacher-forced argmax is those outputs."""
    params = network.init_params(len(VOCAB), 8, "gru", use_attention, seed=5)
    batch = batches.Batch.of_pairs(VOCAB, PAIRS)
    outputs, weights = decode.greedy(params, "gru", batch.source_ids, batch.source_mask, 6)
    assert outputs.shape[1] == 3 and (weights is None) == (not use_attention)
    for n, (source, _) in enumerate(PAIRS):
        written = VOCAB.decode(outputs[:, n])
        if not written or EOS_ID not in outputs[:, n]:
            continue  # teacher forcing needs a finished, non-empty output
        forced = decode.teacher_forced(params, "gru", batches.Batch(VOCAB, [source], [written]))
        np.testing.assert_array_equal(forced[:len(written) + 1, 0], outputs[:len(written) + 1, n])


def test_greedy_stops_after_eos_and_pads():
    params = network.init_params(len(VOCAB), 4, "gru", True, seed=0)
    params["b_out"][EOS_ID] = 50.0  # EOS always wins
    batch = batches.Batch.of_pairs(VOCAB, PAIRS)
    outputs, weights = decode.greedy(params, "gru", batch.source_ids, batch.source_mask, 10)
    assert outputs.shape == (1, 3) and (outputs == EOS_ID).all() and weights.shape == (1, 3, 5)
    with pytest.raises(ValueError, match="at most"):
        decode.greedy(params, "gru", batch.source_ids, batch.source_mask, 10_000)


@pytest.mark.parametrize("use_attention", [False, True])
def test_a_beam_of_one_is_greedy(use_attention):
    params = network.init_params(len(VOCAB), 8, "gru", use_attention, seed=7)
    for source, _ in PAIRS:
        batch = batches.Batch(VOCAB, [source], [source])
        greedy_ids, _ = decode.greedy(params, "gru", batch.source_ids, batch.source_mask, 7)
        beam_ids, _ = decode.beam_search(params, "gru", batch.source_ids, batch.source_mask, 1, 7)
        np.testing.assert_array_equal(beam_ids, greedy_ids[:, 0][:len(beam_ids)])
        assert not np.isin(beam_ids, [PAD_ID, BOS_ID]).any()


@pytest.mark.parametrize("seed, width", [(10, 5), (11, 1), (11, 3), (11, 5)])
def test_the_beam_score_is_the_log_probability_of_what_it_returns(seed, width):
    """Seed 10's beam ends in EOS; seed 11's runs out of steps: both scores are sums of log-probabilities."""
    params = network.init_params(len(VOCAB), 8, "gru", True, seed=seed)
    batch = batches.Batch(VOCAB, ["40718"], ["40718"])
    ids, log_prob = decode.beam_search(params, "gru", batch.source_ids, batch.source_mask, width, 12)
    assert len(VOCAB.decode(ids)) > 0 and (ids[-1] == EOS_ID) == (seed == 10)
    logits, _, _ = network.forward(params, "gru", batches.Batch(VOCAB, ["40718"], [VOCAB.decode(ids)]))
    logits[..., decode.NEVER_WRITTEN] = -np.inf
    log_probs = decode._log_softmax(logits[:, 0])
    assert log_prob == pytest.approx(log_probs[np.arange(len(ids)), ids].sum(), rel=1e-12)


def test_beam_search_bounds():
    params = network.init_params(len(VOCAB), 4, "gru", True, seed=0)
    batch = batches.Batch.of_pairs(VOCAB, PAIRS)
    with pytest.raises(ValueError, match="one source"):
        decode.beam_search(params, "gru", batch.source_ids, batch.source_mask, 3, 5)
    one = batches.Batch(VOCAB, ["12"], ["21"])
    with pytest.raises(ValueError, match="beam_width <= 64"):
        decode.beam_search(params, "gru", one.source_ids, one.source_mask, 65, 5)
    with pytest.raises(TypeError):
        decode.beam_search(params, "gru", one.source_ids, one.source_mask, 2.0, 5)


def test_after_first_mistake_counts():
    labels = np.array([[3, 3], [4, 4], [5, 2], [2, -1]])
    outputs = np.array([[3, 9], [9, 4], [5, 2], [2, 0]])
    # first string: wrong at step 1, then 5 and EOS right (2 of 2); second: wrong at step 0, then 2 of 2
    assert decode.after_first_mistake(outputs, labels) == (4, 4)
    assert decode.after_first_mistake(outputs[:1], labels) == (0, 4)  # too short: wrong after


# --- the estimator ---------------------------------------------------------------------------------------------

def small_model(**changes):
    settings = {"hidden_size": 8, "steps": 30, "batch_size": 16, "seed": 1, **changes}
    train, _, _ = make_split(100, 1, 1, 2, 4, seed=0)
    return Seq2Seq(**settings).fit(train), train


def test_same_seed_same_numbers_bit_for_bit():
    first, train = small_model()
    second, _ = small_model()
    for key in first.params_:
        np.testing.assert_array_equal(first.params_[key], second.params_[key])
    np.testing.assert_array_equal(first.loss_curve_, second.loss_curve_)
    assert first.predict([s for s, _ in train[:20]]) == second.predict([s for s, _ in train[:20]])
    other, _ = small_model(seed=2)
    assert not np.array_equal(first.loss_curve_, other.loss_curve_)


def test_learns_short_reversals():
    train, _, test = make_split(2000, 1, 200, 2, 4, seed=0)
    model = Seq2Seq(hidden_size=16, steps=300, seed=0).fit(train)
    assert model.loss_curve_[-10:].mean() < model.loss_curve_[:10].mean() / 3
    assert model.score(test) > 0.8
    prediction, weights = model.attention_map("1234")
    assert weights.shape == (len(prediction) + 1, 4)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-12)
    gap = model.exposure_bias(test)
    assert set(gap) == {"teacher_forced", "free_running", "steps"}
    sources = [s for s, _ in test[:40]]
    assert model.predict_beam(sources, beam_width=1) == model.predict(sources)
    with pytest.raises(ValueError, match=r"sources\[1\]: the token 'x'"):
        model.predict_beam(["12", "x"])


@pytest.mark.parametrize("use_attention", [False, True])
def test_the_vanilla_cell_trains_and_predicts_too(use_attention):
    model, train = small_model(cell="rnn", attention=use_attention)
    assert model.params_["enc_W_hh"].shape == (8, 8) and np.isfinite(model.loss_curve_).all()
    assert all(isinstance(p, str) for p in model.predict([s for s, _ in train[:5]]))


def test_estimator_bad_input():
    model, _ = small_model()
    with pytest.raises(ValueError, match=r"sources\[1\]: the token 'x' at position 1"):
        model.predict(["12", "1x"])
    with pytest.raises(ValueError, match=r"sources\[0\] is empty"):
        model.predict([""])
    with pytest.raises(TypeError, match="list of texts"):
        model.predict("1234")
    with pytest.raises(ValueError, match="pairs\\[0\\]: the target is empty"):
        Seq2Seq(steps=1).fit([("12", "")])
    with pytest.raises(TypeError, match="pairs\\[0\\]"):
        Seq2Seq(steps=1).fit([("12", 21)])
    with pytest.raises(rl.NotFittedError):
        Seq2Seq().predict(["1"])


@pytest.mark.parametrize("changes, error", [({"cell": "lstm"}, ValueError), ({"attention": "yes"}, TypeError),
                                            ({"steps": 10**6}, ValueError), ({"hidden_size": 0}, ValueError),
                                            ({"learning_rate": -1.0}, ValueError), ({"seed": None}, TypeError),
                                            ({"batch_size": 2.5}, TypeError)])
def test_hyperparameters_are_checked(changes, error):
    with pytest.raises(error):
        Seq2Seq(**changes).fit(PAIRS)


# --- save and load ---------------------------------------------------------------------------------------------

def test_save_and_load_round_trip(tmp_path):
    model, train = small_model()
    path = model.save(tmp_path / "reverser")
    assert path.name == "reverser.npz"
    loaded = Seq2Seq.load(tmp_path / "reverser")
    assert repr(loaded) == repr(model) and loaded.vocab_ == model.vocab_
    for key in model.params_:
        np.testing.assert_array_equal(loaded.params_[key], model.params_[key])
    np.testing.assert_array_equal(loaded.loss_curve_, model.loss_curve_)
    sources = [s for s, _ in train[:30]]
    assert loaded.predict(sources) == model.predict(sources)


def test_a_refused_save_writes_nothing_and_keeps_the_old_file(tmp_path):
    model, _ = small_model()
    path = model.save(tmp_path / "m.npz")
    before = path.read_bytes()
    model.params_["W_out"] = model.params_["W_out"][:, :3]  # no longer matches the vocabulary
    with pytest.raises(ValueError, match="nothing was written"):
        model.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]
    with pytest.raises(rl.NotFittedError):
        Seq2Seq().save(tmp_path / "unfitted.npz")


def test_load_refuses_what_is_not_a_saved_model(tmp_path):
    model, _ = small_model()
    good = model.save(tmp_path / "good.npz")
    with pytest.raises(FileNotFoundError):
        Seq2Seq.load(tmp_path / "missing.npz")
    (tmp_path / "text.npz").write_text("not a zip")
    with pytest.raises(ValueError, match="text.npz is not a model saved by Seq2Seq.save"):
        Seq2Seq.load(tmp_path / "text.npz")
    arrays = dict(np.load(good))
    np.savez(tmp_path / "extra.npz", **arrays, surprise=np.zeros(1))
    with pytest.raises(ValueError, match="surprise"):
        Seq2Seq.load(tmp_path / "extra.npz")
    arrays["dec_W_hh"] = arrays["dec_W_hh"][:-1]
    np.savez(tmp_path / "shape.npz", **arrays)
    with pytest.raises(ValueError, match=r"shape.npz is not a valid saved Seq2Seq: dec_W_hh must be float64"):
        Seq2Seq.load(tmp_path / "shape.npz")
    rnn_model = dict(np.load(good))
    rnn_model["enc_b_h"] = np.full_like(rnn_model["enc_b_h"], np.nan)
    np.savez(tmp_path / "nan.npz", **rnn_model)
    with pytest.raises(ValueError, match="non-finite"):
        Seq2Seq.load(tmp_path / "nan.npz")
