"""Issue 24, class 2: sizes that cannot fit are refused at once, in words; what can be served in pieces is.

Every refusal is a ``budget.MemoryLimitError`` (a ValueError) naming the size and the budget, raised in
well under a second with nothing big allocated (``refused`` measures both). Every formula is checked
against the peak tracemalloc sees on a small size (it must bound it, not by much), and every piecewise
path against the one-shot one.
"""
import time
import tracemalloc

import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import budget
from rnn_lesson.language import memory as lm_memory, objective, running
from rnn_lesson.layers import masking, stack
from rnn_lesson.models import classifier_memory
from rnn_lesson.seq2seq import Seq2Seq, decode, make_split, memory as s2s_memory
from rnn_lesson.seq2seq.batches import pad_ids

from test_cli import restore_logging, run  # noqa: F401 (restore_logging: an autouse fixture)

CHARS = "abcdefghijklmnopqrstuvwxyz .,;:!?ABCDEFGHIJKLMNOPQRSTUVWXYZ\n0123"  # 64 characters, like an English text
RNG = np.random.default_rng(0)
TEXT = "".join(RNG.choice(list(CHARS), size=200_000))
LIMIT = r"more than the 2 GiB the package allows \(rnn_lesson.budget\)"


def refused(call, *words, limit=LIMIT):
    """Run ``call``, which must raise MemoryLimitError holding ``words``, fast and allocating under 32 MB."""
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(budget.MemoryLimitError, match=limit) as caught:
            call()
        seconds, peak = time.process_time() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert isinstance(caught.value, ValueError) and "would need" in message
    for word in words:
        assert word in message, message
    assert seconds < 0.5 and peak < 32e6, (seconds, peak)
    return message


def peak_of(call):
    """(result, the peak bytes tracemalloc sees while ``call`` runs, beyond what was allocated before)."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def lazy(shape):
    """A zero array of ``shape`` that takes no memory (a broadcast view): what a check may look at, never copy."""
    return np.broadcast_to(0.0, shape)


# --------------------------------------------------------------------------- CharLM training

def test_4096_streams_of_256_units_are_refused_in_words_before_any_work():
    model = rl.CharLM(batch_size=4096, hidden_size=256, epochs=1, progress=False)
    refused(lambda: model.fit(TEXT), "CharLM(cell='lstm', hidden_size=256) training on 4,096 streams of 32 steps",
            "64 characters (the reference engine)", "3.34 GiB", "batch_size")
    assert not hasattr(model, "params_")


def test_4096_streams_of_the_default_128_units_fit_with_the_reference_engine_and_not_with_the_fast_one():
    # the reference holds one chunk; the fast engine a workspace for 32 steps and one for the last 16
    assert lm_memory.check_training(rl.CharLM(batch_size=4096), 64, len(TEXT)) < budget.MEMORY_LIMIT
    refused(lambda: rl.CharLM(batch_size=4096, engine="fast", progress=False).fit(TEXT), "(the fast engine)",
            "2.53 GiB")


def test_8_layers_of_2048_units_are_refused_even_with_the_default_32_streams():
    refused(lambda: rl.CharLM(hidden_size=2048, n_layers=8, epochs=1, progress=False).fit(TEXT),
            "CharLM(cell='lstm', hidden_size=2048, n_layers=8) training on 32 streams", "16.9 GiB", "layers")
    assert lm_memory.check_training(rl.CharLM(hidden_size=1024, n_layers=2), 64) < budget.MEMORY_LIMIT


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_a_tiny_model_exactly_at_the_limit_trains_and_one_byte_under_it_is_refused(monkeypatch, engine):
    text = TEXT[:2000]
    model = rl.CharLM(hidden_size=8, seq_len=8, batch_size=4, epochs=1, engine=engine, progress=False)
    need = lm_memory.training_bytes("lstm", 64, 8, 1, 8, 4, engine=engine, n_chars=len(text))
    monkeypatch.setattr(budget, "MEMORY_LIMIT", need)
    assert model.fit(text).loss_curve_
    monkeypatch.setattr(budget, "MEMORY_LIMIT", need - 1)
    refused(lambda: model.fit(text), "hidden_size=8", limit="more than")


def test_lm_train_refuses_8_layers_of_2048_units_on_4096_streams_in_one_line(capsys, tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT[:20_000])
    started = time.process_time()
    code, out, err = run(capsys, "lm", "train", path, "--batch-size", "4096", "--hidden", "2048", "--layers", "8")
    assert time.process_time() - started < 1.0
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "CharLM(cell='lstm', hidden_size=2048, n_layers=8) training on 4,096 streams of 32 steps" in err
    assert "would need" in err and "more than the 2 GiB the package allows" in err
    # the same 4,096 streams of one layer fit: each stream of this text is 4 characters, a chunk of 4 steps
    assert lm_memory.check_training(rl.CharLM(batch_size=4096, engine="fast"), 64, 18_000) < budget.MEMORY_LIMIT


def test_lm_train_refuses_4096_streams_with_the_fast_engine(capsys, tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT)
    code, out, err = run(capsys, "lm", "train", path, "--batch-size", "4096", "--epochs", "1")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "(the fast engine) would need" in err, err


@pytest.mark.parametrize("cell, n_vocab, n_hidden, n_layers, seq_len, batch, dropout", [
    ("lstm", 12, 32, 1, 16, 32, 0.0), ("gru", 40, 16, 3, 10, 24, 0.3), ("rnn", 100, 8, 2, 8, 64, 0.0)])
def test_the_reference_formula_bounds_the_measured_peak(cell, n_vocab, n_hidden, n_layers, seq_len, batch, dropout):
    chars = [chr(65 + k) for k in range(n_vocab)]
    text = "".join(chars) + "".join(RNG.choice(chars, size=seq_len * batch * 5 // 2))  # two chunks and a half
    model = rl.CharLM(cell=cell, hidden_size=n_hidden, n_layers=n_layers, dropout=dropout, seq_len=seq_len,
                      batch_size=batch, epochs=1, progress=False)
    _, peak = peak_of(lambda: model.fit(text))
    formula = lm_memory.training_bytes(cell, n_vocab, n_hidden, n_layers, seq_len, batch, dropout, n_chars=len(text))
    assert peak <= formula <= 1.5 * peak


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_fast_formula_is_the_workspace_the_engine_allocates(cell):
    workspace = rl.fast.CellWorkspace(cell, 7, 5, 11, 6, 11)
    assert 8 * lm_memory.workspace_floats(cell, 7, 5, 11, 6) == workspace.nbytes


# --------------------------------------------------------------------------- CharLM without gradients

def fake_model(n_hidden, n_vocab=64):
    """A 'trained' LSTM CharLM whose weights are zero-stride views: its sizes, no memory."""
    model = rl.CharLM(hidden_size=n_hidden)
    model.vocab_, model.start_char_ = rl.language.Vocabulary(CHARS), "\n"
    gates = 4 * n_hidden
    model.params_ = {"W_xh": lazy((n_vocab, gates)), "W_hh": lazy((n_hidden, gates)), "b_h": lazy((gates,)),
                     "W_hy": lazy((n_hidden, n_vocab)), "b_y": lazy((n_vocab,))}
    return model


def test_the_hidden_states_of_a_million_characters_of_2048_units_are_refused_as_their_output_is_too_big():
    text = TEXT * 5
    model = fake_model(2048)
    refused(lambda: model.hidden_states(text), "the hidden states of 1,000,000 characters (2048 units each)",
            "15.3 GiB")


@pytest.mark.parametrize("cell, n_layers", [("lstm", 1), ("gru", 2), ("rnn", 3)])
def test_hidden_states_chunk_by_chunk_equal_the_one_shot_pass_and_the_step_by_step_one(cell, n_layers):
    params = objective.init_params(cell, 64, 8, seed=1, n_layers=n_layers)
    ids = RNG.integers(0, 64, 300)
    chunked = running.hidden_states(cell, params, ids, chunk=7)
    one_shot, _ = stack.forward(cell, objective._layers(params, n_layers), rl.language.onehot(ids[:, None], 64))
    np.testing.assert_allclose(chunked, one_shot[:, 0], rtol=0, atol=1e-12)
    state, top = objective.zero_state(cell, 1, 8, n_layers), objective.N_STATES[cell] * (n_layers - 1)
    for t, char in enumerate(ids):
        state = objective.step(cell, params, np.array([char]), state)[1]
        np.testing.assert_allclose(chunked[t], state[top][0], rtol=0, atol=1e-12)
    assert np.array_equal(running.hidden_states(cell, params, ids), chunked)  # the default chunk


def test_hidden_states_and_the_loss_of_a_long_text_hold_little_beyond_their_output():
    params = objective.init_params("lstm", 64, 16, seed=0)
    ids = RNG.integers(0, 64, 4000)
    (short, peak_short), (long, peak_long) = (peak_of(lambda n=n: running.hidden_states("lstm", params, ids[:n], 100))
                                              for n in (2000, 4000))
    assert peak_long - peak_short < long.nbytes - short.nbytes + 200_000  # the output grows, nothing else
    model = rl.CharLM(hidden_size=16, seq_len=8, batch_size=4, epochs=1, progress=False).fit(TEXT[:3000])
    loss, peak = peak_of(lambda: model.loss(TEXT[:20_000]))  # 64 pieces side by side, one step at a time
    assert np.isfinite(loss) and peak < 40 * 20_000 + 1_000_000


# --------------------------------------------------------------------------- SequenceClassifier

def test_8_bidirectional_layers_of_3000_units_are_refused_before_any_weight_is_drawn():
    X, y = [RNG.standard_normal((5, 2)) for _ in range(20)], np.arange(20) % 2
    model = rl.SequenceClassifier(hidden_size=3000, n_layers=8, bidirectional=True)
    refused(lambda: model.fit(X, y), "SequenceClassifier(cell='rnn', hidden_size=3000, n_layers=8, "
            "bidirectional=True) training on batches of 16 sequences of up to 5 steps", "24.2 GiB")
    assert not hasattr(model, "params_")


def test_a_tiny_classifier_exactly_at_the_limit_trains_and_one_byte_under_it_is_refused(monkeypatch):
    X, y = [RNG.standard_normal((int(RNG.integers(2, 9)), 3)) for _ in range(12)], np.arange(12) % 3
    model = rl.SequenceClassifier(hidden_size=4, n_layers=2, bidirectional=True, epochs=2, batch_size=5)
    need = classifier_memory.training_bytes(model, 3, 3, max(map(len, X)), 5)
    monkeypatch.setattr(budget, "MEMORY_LIMIT", need)
    assert len(model.fit(X, y).loss_curve_) == 2
    monkeypatch.setattr(budget, "MEMORY_LIMIT", need - 1)
    refused(lambda: model.fit(X, y), "batches of 5 sequences", limit="more than")


@pytest.mark.parametrize("cell, n_inputs, hidden, layers, bidirectional, dropout, summary", [
    ("rnn", 2, 16, 2, True, 0.0, "last"), ("lstm", 5, 12, 2, False, 0.3, "mean"), ("gru", 3, 8, 1, True, 0.0, "mean")])
def test_the_classifier_formulas_bound_the_measured_peaks(cell, n_inputs, hidden, layers, bidirectional, dropout,
                                                           summary):
    X = [RNG.standard_normal((40 if k == 0 else int(RNG.integers(1, 41)), n_inputs)) for k in range(32)]
    model = rl.SequenceClassifier(hidden_size=hidden, cell=cell, n_layers=layers, bidirectional=bidirectional,
                                  dropout=dropout, summary=summary, epochs=2, batch_size=32)
    _, peak = peak_of(lambda: model.fit(X, np.arange(32) % 3))
    assert peak <= classifier_memory.training_bytes(model, n_inputs, 3, 40, 32) <= 2 * peak
    _, peak = peak_of(lambda: rl.models.classifier.forward(model.params_, *masking.pad(X), model))
    assert peak <= classifier_memory.predict_bytes(model, n_inputs, 3, 40, 32) <= 1.5 * peak


def test_predict_on_one_long_and_20000_short_sequences_runs_in_pieces_of_similar_lengths():
    model = rl.SequenceClassifier(hidden_size=8, epochs=1).fit([RNG.standard_normal((5, 2)) for _ in range(20)],
                                                               np.arange(20) % 2)
    X = [RNG.standard_normal((20_000, 2))] + [RNG.standard_normal((int(RNG.integers(1, 10)), 2)) for _ in range(20_000)]
    one_batch = classifier_memory.predict_bytes(model, 2, 2, 20_000, len(X))
    assert one_batch > 80 * 1024 ** 3  # what padding them all to the longest would have needed
    found = budget.pieces([len(x) for x in X], lambda longest, count: classifier_memory.predict_bytes(
        model, 2, 2, longest, count), "sequences")
    assert [len(piece) for piece in found] == [20_000, 1] and found[1][0] == 0
    probabilities = model.predict_proba(X)
    assert probabilities.shape == (20_001, 2)
    np.testing.assert_allclose(probabilities[[0, 1, 7777]], model.predict_proba([X[0], X[1], X[7777]]), atol=1e-12)


def test_pieces_give_the_numbers_of_one_batch(monkeypatch):
    model = rl.SequenceClassifier(hidden_size=6, cell="gru", n_layers=2, bidirectional=True, summary="mean",
                                  epochs=2).fit([RNG.standard_normal((7, 2)) for _ in range(20)], np.arange(20) % 3)
    X = [RNG.standard_normal((300, 2))] + [RNG.standard_normal((int(RNG.integers(1, 30)), 2)) for _ in range(200)]
    one_shot = model.predict_proba(X)
    monkeypatch.setattr(budget, "PIECE_LIMIT", classifier_memory.predict_bytes(model, 2, 3, 30, 40))
    np.testing.assert_allclose(model.predict_proba(X), one_shot, rtol=0, atol=1e-12)


def test_a_sequence_too_long_to_predict_alone_is_refused_by_its_index():
    model = rl.SequenceClassifier(hidden_size=128, epochs=1).fit([RNG.standard_normal((5, 1)) for _ in range(4)],
                                                                 np.arange(4) % 2)
    X = [np.zeros((3, 1)), lazy((10 ** 6, 1)), np.zeros((2, 1))]
    refused(lambda: model.predict(X), "sequences[1] (1,000,000 steps)")


# --------------------------------------------------------------------------- Seq2Seq

def digit_pairs(n, length):
    sources = ["".join(RNG.choice(list("0123456789"), length)) for _ in range(n)]
    return [(s, s[::-1]) for s in sources]


def test_training_on_4000_digit_pairs_is_refused_before_any_weight_or_batch():
    pairs = digit_pairs(64, 4000)
    model = Seq2Seq(steps=2)
    refused(lambda: model.fit(pairs), "Seq2Seq(hidden_size=32, cell='gru', attention=True, steps=2, seed=0) "
            "training on batches of 64 pairs of up to 4,000 source and 4,000 target tokens", "46.9 GiB")
    assert not hasattr(model, "params_")


def test_a_tiny_seq2seq_exactly_at_the_limit_trains_and_one_byte_under_it_is_refused(monkeypatch):
    pairs = digit_pairs(10, 6)
    need = s2s_memory.training_bytes(13, 8, "gru", True, 6, 7, 4)
    model = Seq2Seq(hidden_size=8, steps=3, batch_size=4)
    monkeypatch.setattr(budget, "MEMORY_LIMIT", need)
    assert len(model.fit(pairs).loss_curve_) == 3
    monkeypatch.setattr(budget, "MEMORY_LIMIT", need - 1)
    refused(lambda: model.fit(pairs), "batches of 4 pairs", limit="more than")


@pytest.mark.parametrize("cell, hidden, attention, length, n", [("gru", 16, True, 30, 32), ("rnn", 32, False, 8, 64)])
def test_the_seq2seq_formulas_bound_the_measured_peaks(cell, hidden, attention, length, n):
    pairs = digit_pairs(n, length)
    model = Seq2Seq(hidden_size=hidden, cell=cell, attention=attention, steps=2, batch_size=n)
    _, peak = peak_of(lambda: model.fit(pairs))
    assert peak <= s2s_memory.training_bytes(13, hidden, cell, attention, length, length + 1, n) <= 2 * peak
    ids, mask = pad_ids(model.vocab_, [s for s, _ in pairs])
    _, peak = peak_of(lambda: decode.greedy(model.params_, cell, ids, mask, 2 * length + 2))
    assert peak <= s2s_memory.greedy_bytes(13, hidden, cell, attention, length, 2 * length + 2, n) <= 2 * peak


@pytest.fixture(scope="module")
def translator():
    train, _, _ = make_split(300, 10, 10, 3, 8, seed=0)
    return Seq2Seq(hidden_size=16, steps=80, seed=0).fit(train)


def test_50000_sources_at_once_are_decoded_in_pieces_and_decode_batch_refuses_them(translator):
    sources = ["0123456789" * 4] + [("9876543210" * 4)[:n] for n in RNG.integers(30, 40, 49_999)]
    found = budget.pieces([len(s) for s in sources], lambda longest, count: s2s_memory.greedy_bytes(
        13, 16, "gru", True, longest, 82, count), "sources")
    sizes = [s2s_memory.greedy_bytes(13, 16, "gru", True, max(len(sources[n]) for n in piece), 82, len(piece))
             for piece in found]
    assert len(found) > 1 and max(sizes) <= budget.PIECE_LIMIT and sum(map(len, found)) == 50_000
    refused(lambda: translator.decode_batch(sources), "decoding 50,000 sources of up to 40 tokens at once",
            "use predict")


def test_predict_in_pieces_gives_the_translations_of_one_batch(monkeypatch, translator):
    sources = [s for s, _ in make_split(400, 10, 10, 1, 12, seed=5)[0]]
    one_shot = translator.decode_batch(sources)[0]
    assert translator.predict(sources) == one_shot
    monkeypatch.setattr(budget, "PIECE_LIMIT", s2s_memory.greedy_bytes(13, 16, "gru", True, 6, 26, 20))
    assert translator.predict(sources) == one_shot  # now in more than 20 pieces, each decoded for 26 steps
    assert translator.predict(sources, max_steps=5) == translator.decode_batch(sources, max_steps=5)[0]
    with pytest.raises(ValueError, match="max_steps must be at most 200"):
        translator.predict(sources, max_steps=201)
    with pytest.raises(ValueError, match=r"sources\[3\]: the token 'x' at position 0"):
        translator.predict(["1", "2", "3", "x"])


# --------------------------------------------------------------------------- layers.masking

def test_a_mask_of_10_million_steps_for_200_sequences_is_refused_and_one_for_two_is_made():
    refused(lambda: masking.mask_from_lengths(np.full(200, 10 ** 7), 10 ** 7),
            "a mask of 10,000,000 steps for 200 sequences", "16.8 GiB")
    assert masking.mask_from_lengths(np.array([10 ** 6, 5]), 10 ** 6).sum() == 10 ** 6 + 5


def test_padding_mean_state_backward_and_the_masked_mse_over_10_million_steps_are_refused():
    refused(lambda: masking.pad([lazy((10 ** 7, 1))] + [np.zeros((1, 1))] * 200),
            "padding 201 sequences to the longest, 10,000,000 steps of 1 inputs", "15 GiB")
    refused(lambda: masking.mean_state_backward(np.zeros((200, 4)), lazy((10 ** 7, 200))),
            "dL/dhs for 10,000,000 steps of (200, 4)")
    refused(lambda: masking.masked_mse(lazy((10 ** 7, 20, 2)), lazy((10 ** 7, 20, 2)), lazy((10 ** 7, 20))),
            "the masked MSE of ys (10000000, 20, 2)")


# --------------------------------------------------------------------------- budget.pieces

def test_pieces_keep_a_request_that_fits_whole_and_in_order_and_cut_one_that_does_not():
    def cost(longest, count):
        return 10 * longest * count

    assert [list(p) for p in budget.pieces([3, 1, 2], cost, "xs", limit=90)] == [[0, 1, 2]]
    assert [list(p) for p in budget.pieces([5, 1, 2, 1], cost, "xs", limit=40)] == [[1, 3], [2], [0]]
    assert [list(p) for p in budget.pieces([5, 1, 2, 1], cost, "xs", limit=60)] == [[1, 3, 2], [0]]
    with pytest.raises(budget.MemoryLimitError, match=r"xs\[1\] \(300,000,000 steps\) would need 2.79 GiB"):
        budget.pieces([2, 3 * 10 ** 8, 1], cost, "xs", limit=40)
