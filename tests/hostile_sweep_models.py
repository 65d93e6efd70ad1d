"""The hostile sweep, second table (issue 17): the models merged after the first sweep was written.

The language model (``rl.CharLM``, ``rl.language.*``, both engines' ``lm_loss_and_grads``),
sequence to sequence (``rl.seq2seq``), the layers that stack, drop out, run both ways
and mask, the schedules and the monitor, ``rl.SequenceClassifier``, the estimator's
n_layers/bidirectional/dropout/optimizer options, and the fast gated engine.

The rules, the classes of hostile values and the outcomes are those of
``hostile_sweep``; this module adds two kinds of working value whose hostile
values it derives itself: a text (``Text``: unseen characters, a lone surrogate,
bytes, a list...) and an array of integer ids (negative, out of the vocabulary,
float, bool, empty, wrong ndim, read-only...).
"""
import numpy as np

import rnn_lesson as rl
from rnn_lesson import fast, seq2seq
from rnn_lesson.language import baselines, batching, objective, sampling
from rnn_lesson.layers import bidirectional, dropout, masking, stack
from rnn_lesson.seq2seq import attention, batches, decode, network, tasks

import hostile_sweep
from hostile_sweep import PathArgument, fresh, outcome


class Text(str):
    """The working value of a text argument: its hostile values are texts (see ``text_variants``)."""


class Texts(list):
    """The working value of a list-of-texts argument."""


def text_variants(value):
    return {"unseen char": str(value) + "\x00Z", "lone surrogate": "\ud800", "empty": "", "bytes": b"ab",
            "None": None, "number": 3, "list": list(str(value)), "whitespace only": " \n"}


def texts_variants(value):
    return {"empty list": [], "None": None, "a str": "ab", "number in list": [1, "ab"], "nested": [["ab"]],
            "empty text in list": ["", *value], "unseen char": ["\x00" + value[0]], "bytes in list": [b"12"],
            "dict": {}, "numpy strings": np.array(value)}


def id_variants(value):
    """Hostile integer id arrays shaped like ``value``."""
    out = {"negative id": value.copy(), "id past vocab": value.copy(), "float dtype": value.astype(float),
           "bool dtype": value > 0, "empty": value[:0], "wrong ndim": value[..., None], "strings": value.astype(str),
           "huge id": value.copy(), "read-only": value.copy(), "int8": value.astype(np.int8), "list": value.tolist(),
           "None": None, "0-d": np.int64(1), "nan float": value.astype(float)}
    out["negative id"].flat[0] = -1
    out["id past vocab"].flat[0] = 10 ** 6
    out["huge id"].flat[0] = 2 ** 62
    out["read-only"].flags.writeable = False
    out["nan float"].flat[0] = np.nan
    return out


def variants(value):
    if isinstance(value, Text):
        return text_variants(value)
    if isinstance(value, Texts):
        return texts_variants(value)
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.integer):
        return id_variants(value)
    if isinstance(value, tuple) and value and all(isinstance(v, np.ndarray) for v in value):
        first = hostile_sweep.array_variants(value[0])
        out = {f"state[0]: {k}": (v, *value[1:]) for k, v in first.items()}
        out.update({"state as list": list(value), "empty tuple": (), "too many states": value + value})
        return out
    return hostile_sweep.variants(value)


# ------------------------------------------------------------------ the working values

CORPUS = "hello world\nhold the line\nhere we go\n" * 4
LM = rl.CharLM(cell="gru", hidden_size=4, seq_len=5, batch_size=2, epochs=1, seed=0).fit(CORPUS)
LM_RNN = rl.CharLM(cell="rnn", hidden_size=4, seq_len=5, batch_size=2, epochs=1, seed=0).fit(CORPUS)
V = len(LM.vocab_)
IDS = LM.vocab_.encode(CORPUS)
LM_PARAMS = objective.init_params("lstm", V, 3, seed=0)
INPUTS, TARGETS = IDS[:10].reshape(5, 2), IDS[1:11].reshape(5, 2)
LSTM_STATE = objective.zero_state("lstm", 2, 3)
GRU_PARAMS = objective.init_params("gru", V, 3, seed=0)
GRU_STATE = objective.zero_state("gru", 2, 3)

PAIRS = [(s, tasks.reverse_rule(s)) for s in ["12", "345", "67", "890", "1234"]]
S2S = seq2seq.Seq2Seq(hidden_size=4, steps=3, batch_size=2, seed=0).fit(PAIRS)
S2S_PLAIN = seq2seq.Seq2Seq(hidden_size=4, attention=False, cell="rnn", steps=2, batch_size=2).fit(PAIRS)
S2S_VOCAB = S2S.vocab_
S2S_BATCH = batches.Batch.of_pairs(S2S_VOCAB, PAIRS)
S2S_IDS, S2S_MASK = batches.pad_ids(S2S_VOCAB, ["12", "345"])
RNG = np.random.default_rng(0)
Q, K = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((5, 3, 4))
CONTEXT, WEIGHTS, ATT_CACHE = attention.forward(Q, K)

XS3 = RNG.standard_normal((4, 3, 2))  # (T, N, I)
LAYERS = stack.init_params("gru", 2, 3, n_layers=2, bidirectional=True, seed=0)
STACK_HS, STACK_CACHE = stack.forward("gru", LAYERS, XS3, lengths=np.array([4, 2, 3]))
BI_F, BI_B = stack.init_params("rnn", 2, 3, bidirectional=True, seed=1)[0]
BI_HS, BI_CACHE = bidirectional.forward(rl.cells.rnn, BI_F, BI_B, XS3)
HS3 = RNG.standard_normal((4, 3, 3))
DROP_YS, DROP_KEEP = dropout.forward(XS3, 0.5, True, np.random.default_rng(0))
SEQS = [RNG.standard_normal((n, 2)) for n in (3, 4, 2, 5, 3, 4)]
CLASS_LABELS = np.array([0, 1, 0, 1, 0, 1])
X3, Y3 = RNG.standard_normal((3, 4, 2)), RNG.uniform(0, 1, (3, 4, 1))
LSTM_FULL = {**rl.cells.lstm.init_params(2, 3), "W_hy": RNG.standard_normal((3, 1)) * 0.1, "b_y": np.zeros(1)}
LM_CHUNK = dict(cell="lstm", params=LM_PARAMS, inputs=INPUTS, targets=TARGETS, state=LSTM_STATE)

CALLS = {
    # ---- the language model
    "CharLM.fit": (lambda **kw: rl.CharLM(**kw).fit(CORPUS),
                   {"cell": "gru", "hidden_size": 4, "seq_len": 5, "batch_size": 2, "learning_rate": 0.005,
                    "optimizer": "adam", "clip_norm": 5.0, "epochs": 1, "stateful": True, "seed": 0,
                    "engine": "reference", "max_seconds": 60.0, "progress": False}),
    "CharLM.fit text": (lambda text, validation: rl.CharLM(cell="rnn", hidden_size=3, seq_len=4, batch_size=2,
                                                           epochs=1).fit(text, validation),
                        {"text": Text(CORPUS), "validation": Text("hello\n")}),
    "CharLM.fit after_epoch": (lambda after_epoch: rl.CharLM(cell="rnn", hidden_size=3, seq_len=4, batch_size=2,
                                                             epochs=1).fit(CORPUS, after_epoch=after_epoch),
                               {"after_epoch": None}),
    "CharLM.loss": (lambda text: LM.loss(text), {"text": Text("hello there\n")}),
    "CharLM.hidden_states": (lambda text: LM.hidden_states(text), {"text": Text("hello\n")}),
    "CharLM.sample": (lambda **kw: LM.sample(**kw),
                      {"n_chars": 20, "temperature": 0.8, "prompt": Text("he"), "top_k": 3, "seed": 1}),
    "CharLM.encode": (lambda text: LM.encode(text), {"text": Text("hello")}),
    "CharLM.save": (lambda path: LM.save(path), {"path": PathArgument("lm")}),
    "CharLM.load": (lambda path: rl.CharLM.load(path), {"path": PathArgument("lm")}),
    "language.Vocabulary.from_text": (rl.language.Vocabulary.from_text, {"text": Text(CORPUS)}),
    "language.Vocabulary.decode": (lambda ids: LM.vocab_.decode(ids), {"ids": IDS[:8].copy()}),
    "language.onehot": (rl.language.onehot, {"ids": IDS[:8].copy(), "size": V}),
    "language.chunks": (lambda ids, batch_size, seq_len: list(rl.language.chunks(ids, batch_size, seq_len)),
                        {"ids": IDS.copy(), "batch_size": 2, "seq_len": 5}),
    "language.batching.stream_ids": (batching.stream_ids, {"ids": IDS.copy(), "batch_size": 2}),
    "language.batching.n_chunks": (batching.n_chunks, {"n_chars": 100, "batch_size": 2, "seq_len": 5}),
    "language.baseline_losses": (rl.language.baseline_losses, {"train_ids": IDS.copy(), "test_ids": IDS[:9].copy(),
                                                               "vocab_size": V, "smoothing": 1.0}),
    "language.unigram_probabilities": (rl.language.unigram_probabilities,
                                       {"ids": IDS.copy(), "vocab_size": V, "smoothing": 1.0}),
    "language.bigram_probabilities": (rl.language.bigram_probabilities,
                                      {"ids": IDS.copy(), "vocab_size": V, "smoothing": 1.0}),
    "language.baselines.uniform_loss": (baselines.uniform_loss, {"vocab_size": V}),
    "language.baselines.unigram_loss": (baselines.unigram_loss, {"probabilities": np.full(V, 1 / V),
                                                                 "ids": IDS[:9].copy()}),
    "language.baselines.bigram_loss": (baselines.bigram_loss, {"probabilities": np.full((V, V), 1 / V),
                                                               "ids": IDS[:9].copy()}),
    "language.probabilities": (rl.language.probabilities, {"logits": np.linspace(-1, 1, V), "temperature": 1.0,
                                                           "top_k": 3}),
    "language.sample_next": (lambda logits, seed, temperature, top_k: rl.language.sample_next(
        logits, np.random.default_rng(seed), temperature, top_k),
        {"logits": np.linspace(-1, 1, V), "seed": 0, "temperature": 1.0, "top_k": 3}),
    "language.sampling.draw": (sampling.draw, {"p": np.full(V, 1 / V), "u": 0.5}),
    "language.split_lines": (rl.language.split_lines, {"text": Text(CORPUS), "heldout_fraction": 0.25, "seed": 0}),
    "language.init_params": (rl.language.init_params, {"cell": "lstm", "vocab_size": V, "hidden_size": 3,
                                                       "seed": 0}),
    "language.zero_state": (rl.language.zero_state, {"cell": "lstm", "batch_size": 2, "hidden_size": 3}),
    "language.get_engine": (rl.language.get_engine, {"name": "reference"}),
    "language.lm_loss_and_grads": (rl.language.lm_loss_and_grads, LM_CHUNK),
    "language.lm_loss_and_grads gru": (rl.language.lm_loss_and_grads,
                                       {**LM_CHUNK, "cell": "gru", "params": GRU_PARAMS, "state": GRU_STATE}),
    "fast.lm_loss_and_grads": (fast.lm_loss_and_grads, LM_CHUNK),
    "fast.lm_loss_and_grads gru": (fast.lm_loss_and_grads,
                                   {**LM_CHUNK, "cell": "gru", "params": GRU_PARAMS, "state": GRU_STATE}),
    "language.objective.step": (objective.step, {"cell": "lstm", "params": LM_PARAMS, "ids": INPUTS[0].copy(),
                                                 "state": LSTM_STATE}),
    # ---- sequence to sequence
    "Seq2Seq.fit": (lambda **kw: seq2seq.Seq2Seq(**kw).fit(PAIRS),
                    {"hidden_size": 4, "cell": "gru", "attention": True, "learning_rate": 0.01, "steps": 2,
                     "batch_size": 2, "clip_norm": 5.0, "seed": 0}),
    "Seq2Seq.fit pairs": (lambda sources, targets: seq2seq.Seq2Seq(hidden_size=3, steps=1).fit(
        list(zip(sources, targets)) if isinstance(sources, list) and isinstance(targets, list) else (sources,
                                                                                                    targets)),
        {"sources": Texts(["12", "345"]), "targets": Texts(["21", "543"])}),
    "Seq2Seq.predict": (lambda sources, max_steps: S2S.predict(sources, max_steps),
                        {"sources": Texts(["12", "345"]), "max_steps": 5}),
    "Seq2Seq.predict_beam": (lambda sources, beam_width, max_steps: S2S.predict_beam(sources, beam_width, max_steps),
                             {"sources": Texts(["12", "345"]), "beam_width": 2, "max_steps": 5}),
    "Seq2Seq.predict_beam plain": (lambda beam_width, max_steps: S2S_PLAIN.predict_beam(["12"], beam_width,
                                                                                        max_steps),
                                   {"beam_width": 2, "max_steps": 5}),
    "Seq2Seq.attention_map": (lambda source: S2S.attention_map(source), {"source": Text("123")}),
    "Seq2Seq.predict_teacher_forced": (lambda sources, targets: S2S.predict_teacher_forced(
        list(zip(sources, targets)) if isinstance(sources, list) and isinstance(targets, list) else sources),
        {"sources": Texts(["12", "345"]), "targets": Texts(["21", "543"])}),
    "Seq2Seq.exposure_bias": (lambda sources, targets: S2S.exposure_bias(
        list(zip(sources, targets)) if isinstance(sources, list) and isinstance(targets, list) else sources),
        {"sources": Texts(["12", "345"]), "targets": Texts(["21", "543"])}),
    "Seq2Seq.score": (lambda sources, targets: S2S.score(
        list(zip(sources, targets)) if isinstance(sources, list) and isinstance(targets, list) else sources),
        {"sources": Texts(["12", "345"]), "targets": Texts(["21", "543"])}),
    "Seq2Seq.save": (lambda path: S2S.save(path), {"path": PathArgument("s2s")}),
    "Seq2Seq.load": (lambda path: seq2seq.Seq2Seq.load(path), {"path": PathArgument("s2s")}),
    "seq2seq.Vocabulary": (seq2seq.Vocabulary, {"symbols": Text("0123456789")}),
    "seq2seq.Vocabulary.encode": (lambda text: S2S_VOCAB.encode(text), {"text": Text("123")}),
    "seq2seq.Vocabulary.decode": (lambda ids: S2S_VOCAB.decode(ids), {"ids": S2S_IDS[:, 0].copy()}),
    "seq2seq.reverse_rule": (seq2seq.reverse_rule, {"source": Text("123")}),
    "seq2seq.tasks.make_sources": (tasks.make_sources, {"n": 5, "min_length": 2, "max_length": 4, "seed": 0}),
    "seq2seq.make_split": (seq2seq.make_split, {"n_train": 5, "n_valid": 2, "n_test": 2, "min_length": 2,
                                                "max_length": 4, "seed": 0}),
    "seq2seq.exact_match": (seq2seq.exact_match, {"predictions": Texts(["12", "3"]), "targets": Texts(["12", "4"])}),
    "seq2seq.accuracy_by_length": (seq2seq.accuracy_by_length, {"sources": Texts(["12", "345"]),
                                                                "predictions": Texts(["21", "543"]),
                                                                "targets": Texts(["21", "542"])}),
    "seq2seq.batches.pad_ids": (lambda texts: batches.pad_ids(S2S_VOCAB, texts), {"texts": Texts(["12", "345"])}),
    "seq2seq.batches.decoder_io": (lambda targets: batches.decoder_io(S2S_VOCAB, targets),
                                   {"targets": Texts(["12", "345"])}),
    "seq2seq.batches.one_hot": (batches.one_hot, {"ids": S2S_IDS.copy(), "n_tokens": len(S2S_VOCAB)}),
    "seq2seq.attention.forward": (attention.forward, {"queries": Q, "keys": K, "mask": np.ones((5, 3), bool)}),
    "seq2seq.attention.forward float mask": (attention.forward, {"queries": Q, "keys": K}),
    "seq2seq.attention.backward": (attention.backward, {"dcontext": np.ones_like(CONTEXT), "cache": ATT_CACHE}),
    "seq2seq.network.init_params": (network.init_params, {"n_tokens": 13, "n_hidden": 3, "cell": "gru",
                                                          "attention": True, "seed": 0}),
    "seq2seq.network.loss_and_grads": (lambda params: network.loss_and_grads(params, "gru", S2S_BATCH),
                                       {"params": S2S.params_}),
    "seq2seq.decode.greedy": (lambda source_ids, max_steps: decode.greedy(
        S2S.params_, "gru", source_ids, S2S_MASK, max_steps), {"source_ids": S2S_IDS.copy(), "max_steps": 5}),
    "seq2seq.decode.beam_search": (lambda beam_width, max_steps: decode.beam_search(
        S2S.params_, "gru", S2S_IDS[:, [0]].copy(), S2S_MASK[:, [0]].copy(), beam_width, max_steps),
        {"beam_width": 2, "max_steps": 5}),
    # ---- layers
    "layers.stack.init_params": (stack.init_params, {"cell": "gru", "n_inputs": 2, "n_hidden": 3, "n_layers": 2,
                                                     "bidirectional": True, "seed": 0}),
    "layers.stack.forward": (lambda xs, lengths, dropout, training, seed, activation: stack.forward(
        "rnn", stack.init_params("rnn", 2, 3, n_layers=2), xs, lengths, dropout, training,
        np.random.default_rng(seed), activation),
        {"xs": XS3, "lengths": np.array([4, 2, 3]), "dropout": 0.5, "training": True, "seed": 0,
         "activation": "tanh"}),
    "layers.stack.backward": (lambda dhs: stack.backward(dhs, STACK_CACHE), {"dhs": np.ones_like(STACK_HS)}),
    "layers.dropout.forward": (lambda xs, rate, training, seed: dropout.forward(
        xs, rate, training, np.random.default_rng(seed)), {"xs": XS3, "rate": 0.5, "training": True, "seed": 0}),
    "layers.dropout.backward": (dropout.backward, {"dys": np.ones_like(XS3), "keep": DROP_KEEP}),
    "layers.bidirectional.forward": (lambda xs, lengths: bidirectional.forward(rl.cells.rnn, BI_F, BI_B, xs, lengths),
                                     {"xs": XS3, "lengths": np.array([4, 2, 3])}),
    "layers.bidirectional.backward": (lambda dhs: bidirectional.backward(dhs, BI_CACHE),
                                      {"dhs": np.ones_like(BI_HS)}),
    "layers.bidirectional.reverse": (bidirectional.reverse, {"xs": XS3, "lengths": np.array([4, 2, 3])}),
    "layers.masking.pad": (masking.pad, {"sequences": SEQS[:3]}),
    "layers.masking.mask_from_lengths": (masking.mask_from_lengths, {"lengths": np.array([4, 2, 3]), "n_steps": 4}),
    "layers.masking.masked_mse": (masking.masked_mse, {"ys": HS3, "targets": HS3 * 0.5,
                                                       "mask": masking.mask_from_lengths(np.array([4, 2, 3]), 4)}),
    "layers.masking.last_state": (masking.last_state, {"hs": HS3, "lengths": np.array([4, 2, 3]),
                                                       "bidirectional": False}),
    "layers.masking.last_state_backward": (masking.last_state_backward,
                                           {"dsummary": np.ones((3, 3)), "lengths": np.array([4, 2, 3]), "n_steps": 4,
                                            "bidirectional": False}),
    "layers.masking.mean_state": (masking.mean_state, {"hs": HS3,
                                                       "mask": masking.mask_from_lengths(np.array([4, 2, 3]), 4)}),
    "layers.masking.mean_state_backward": (masking.mean_state_backward, {
        "dsummary": np.ones((3, 3)), "mask": masking.mask_from_lengths(np.array([4, 2, 3]), 4)}),
    # ---- schedules, monitor, classifier, estimator options
    "schedules.StepDecay": (lambda every, factor, step: rl.schedules.StepDecay(every, factor)(step),
                            {"every": 2, "factor": 0.5, "step": 3}),
    "schedules.Cosine": (lambda total_steps, floor, step: rl.schedules.Cosine(total_steps, floor)(step),
                         {"total_steps": 10, "floor": 0.1, "step": 3}),
    "schedules.Warmup": (lambda steps, step: rl.schedules.Warmup(steps, rl.schedules.Cosine(5))(step),
                         {"steps": 3, "step": 4}),
    "schedules.Scheduled": (lambda learning_rate, params, grads, clip_norm: rl.schedules.Scheduled(
        rl.Adam(learning_rate), rl.schedules.Cosine(5)).step(params, grads, clip_norm),
        {"learning_rate": 0.1, "params": {"W": np.ones(2)}, "grads": {"W": np.ones(2)}, "clip_norm": 1.0}),
    "schedules.schedule_from_spec": (rl.schedules.schedule_from_spec, {"spec": {"name": "Cosine", "total_steps": 5,
                                                                                 "floor": 0.0}}),
    "schedules.optimizer_from_spec": (rl.schedules.optimizer_from_spec,
                                      {"spec": rl.schedules.optimizer_spec(rl.Adam(0.1))}),
    "monitor.Monitored": (lambda params, grads, clip_norm: rl.monitor.Monitored(rl.SGD(0.1)).step(
        params, grads, clip_norm), {"params": {"W": np.ones(2)}, "grads": {"W": np.ones(2)}, "clip_norm": 1.0}),
    "monitor.suggest_clip_norm": (rl.monitor.suggest_clip_norm, {"norms": np.linspace(0.5, 2, 9), "quantile": 0.9,
                                                                 "factor": 2.0}),
    "monitor.EarlyStopping": (lambda patience: rl.monitor.EarlyStopping(patience), {"patience": 3}),
    "SequenceClassifier.fit": (lambda **kw: rl.SequenceClassifier(**kw).fit(SEQS, CLASS_LABELS),
                               {"hidden_size": 3, "cell": "gru", "n_layers": 2, "bidirectional": True,
                                "summary": "mean", "dropout": 0.2, "optimizer": "adam", "learning_rate": 0.01,
                                "epochs": 1, "batch_size": 3, "clip_norm": 1.0, "seed": 0}),
    "SequenceClassifier.fit data": (lambda sequence, labels: rl.SequenceClassifier(epochs=1).fit(
        [sequence, *SEQS[1:]], labels), {"sequence": SEQS[0], "labels": CLASS_LABELS.copy()}),
    "SequenceClassifier.predict": (lambda sequence: CLASSIFIER.predict([sequence, SEQS[1]]), {"sequence": SEQS[0]}),
    "RNN.fit deep": (lambda **kw: rl.RNN(epochs=1, hidden_size=3, **kw).fit((X3, Y3)),
                     {"n_layers": 2, "bidirectional": True, "dropout": 0.2, "optimizer": "adam", "cell": "gru"}),
    # ---- the fast gated engine
    "fast.CellWorkspace": (fast.CellWorkspace, {"cell": "lstm", "n_steps": 4, "batch_size": 2, "n_inputs": 2,
                                                "n_hidden": 3, "n_outputs": 1, "dense_inputs": True}),
    "fast.cell_minibatch_epoch": (fast.cell_minibatch_epoch, {"params": LSTM_FULL, "X": X3, "Y": Y3,
                                                              "learning_rate": 0.01, "batch_size": 2, "cell": "lstm",
                                                              "activation": "tanh", "clip_norm": 1.0}),
    "fast.Adam": (lambda learning_rate, beta1, beta2, eps, params, grads: fast.Adam(
        learning_rate, beta1, beta2, eps).step(params, grads),
        {"learning_rate": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "params": {"W": np.ones((2, 2))},
         "grads": {"W": np.ones((2, 2))}}),
    "RNN.fit fast gated": (lambda **kw: rl.RNN(epochs=1, hidden_size=3, engine="fast", **kw).fit((X3, Y3)),
                           {"cell": "lstm", "batch_size": 2, "learning_rate": 0.01, "clip_norm": 1.0}),
    "RNN.fit fast data": (lambda X, Y: rl.RNN(epochs=1, hidden_size=3, engine="fast", cell="gru").fit((X, Y)),
                          {"X": X3, "Y": Y3}),
}
CLASSIFIER = rl.SequenceClassifier(epochs=1, hidden_size=3).fit(SEQS, CLASS_LABELS)


def cases():
    """(name, argument, class label) for every hostile case of every call of this table."""
    return [(name, argument, label) for name, (_, kwargs) in CALLS.items() for argument, value in kwargs.items()
            for label in variants(value)]


def _fresh(value):
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    if isinstance(value, np.ndarray) and not np.issubdtype(value.dtype, np.floating):
        copy = value.copy()
        copy.flags.writeable = value.flags.writeable
        return copy
    return fresh(value)


def run_case(name, argument, label):
    """Call ``name`` with ``argument`` replaced by its hostile ``label`` value; returns (outcome, detail)."""
    function, kwargs = CALLS[name]
    hostile = variants(kwargs[argument])[label]
    arguments = {k: _fresh(v) for k, v in kwargs.items()}
    arguments[argument] = hostile
    return outcome(lambda: function(**arguments))
