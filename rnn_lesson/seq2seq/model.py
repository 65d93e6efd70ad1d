"""``Seq2Seq``: the encoder-decoder as an estimator, trained with teacher forcing, predicting greedily.

    model = Seq2Seq(hidden_size=32, attention=True, steps=800, seed=0).fit(train_pairs)
    model.predict(["40718"])            -> ["81704"]
    model.score(test_pairs)             -> exact-match accuracy

As in scikit-learn, ``__init__`` only stores hyperparameters and what ``fit`` learns ends in
``_``: ``vocab_``, ``params_``, ``loss_curve_`` (the teacher-forced loss of every step).
Training: Adam on mini-batches drawn in a seeded order (each pass over the pairs a new
permutation), gradients clipped by global norm. Same seed, same numbers, bit for bit.
"""

import numpy as np

from ..blas import one_blas_thread_methods
from ..budget import check_bytes, pieces
from . import decode, memory, network, persistence
from .batches import Batch, encode_texts, pad_encoded, pad_ids
from .vocab import Vocabulary
from ..models import NotFittedError
from ..optim import Adam
from ..shapes import check_positive_float, check_positive_int, check_seed

LIMITS = {"hidden_size": 512, "steps": 100_000, "batch_size": 4096}


def _check_int(value, name):
    value = check_positive_int(value, name)
    if value > LIMITS[name]:
        raise ValueError(f"{name} must be at most {LIMITS[name]}, got {value}")
    return value


def _check_pairs(pairs):
    if not isinstance(pairs, (list, tuple)) or not pairs:
        raise TypeError(f"pairs must be a non-empty list of (source, target) texts, got {pairs!r:.60}")
    for k, pair in enumerate(pairs):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not all(isinstance(t, str) for t in pair):
            raise TypeError(f"pairs[{k}] must be a (source, target) pair of str, got {pair!r:.60}")
        for side, text in zip(("source", "target"), pair):
            if not text:
                raise ValueError(f"pairs[{k}]: the {side} is empty; a sequence needs at least one token")
    return list(pairs)


@one_blas_thread_methods  # every public method: one BLAS thread (rnn_lesson/blas.py)
class Seq2Seq:
    """An encoder-decoder (cell "gru" or "rnn"), with dot-product attention or without it."""

    def __init__(self, hidden_size=32, cell="gru", attention=True, learning_rate=0.01, steps=800, batch_size=64,
                 clip_norm=5.0, seed=0):
        self.hidden_size, self.cell, self.attention = hidden_size, cell, attention
        self.learning_rate, self.steps, self.batch_size = learning_rate, steps, batch_size
        self.clip_norm, self.seed = clip_norm, seed

    def __repr__(self):
        return (f"Seq2Seq(hidden_size={self.hidden_size}, cell={self.cell!r}, attention={self.attention}, "
                f"steps={self.steps}, seed={self.seed})")

    def _checked(self):
        network.check_cell(self.cell)
        if not isinstance(self.attention, bool):
            raise TypeError(f"attention must be True or False, got {self.attention!r}")
        for name in LIMITS:
            _check_int(getattr(self, name), name)
        check_positive_float(self.learning_rate, "learning_rate")
        check_positive_float(self.clip_norm, "clip_norm")
        check_seed(self.seed)

    def fit(self, pairs, after_step=None):
        """Train on ``pairs``, a list of (source, target) str; returns self.

        ``after_step``: None, or a function ``after_step(step, model)`` called after every update
        (``step`` counts from 1; ``model`` is this Seq2Seq, which can already ``predict`` with the
        weights of that step, and whose ``loss_curve_`` holds the steps so far). It may return True
        to stop training there; None or False go on. A hook that only reads does not change a
        bit: the model after step k of a long run is the model of ``steps=k``.
        """
        self._checked()
        if after_step is not None and not callable(after_step):
            raise TypeError(f"after_step must be a function after_step(step, model) or None, "
                            f"got {type(after_step).__name__} {after_step!r}")
        pairs = _check_pairs(pairs)
        self.vocab_ = Vocabulary(sorted({token for pair in pairs for text in pair for token in text}))
        memory.check_pairs(self, len(self.vocab_), [s for s, _ in pairs], [t for _, t in pairs],
                           min(self.batch_size, len(pairs)))  # before any weight or batch is allocated
        self.params_ = network.init_params(len(self.vocab_), self.hidden_size, self.cell, self.attention, self.seed)
        optimizer, rng = Adam(self.learning_rate), np.random.default_rng(self.seed)
        order, position, losses = rng.permutation(len(pairs)), 0, []
        for step in range(1, self.steps + 1):
            if position + self.batch_size > len(order):
                order, position = rng.permutation(len(pairs)), 0
            chosen = order[position:position + self.batch_size]
            position += self.batch_size
            batch = Batch.of_pairs(self.vocab_, [pairs[i] for i in chosen])
            loss, grads = network.loss_and_grads(self.params_, self.cell, batch)
            optimizer.step(self.params_, grads, clip_norm=self.clip_norm)
            losses.append(loss)
            if after_step is not None:
                self.loss_curve_ = np.array(losses)
                answer = after_step(step, self)
                if answer is not None and not isinstance(answer, (bool, np.bool_)):
                    raise TypeError(f"after_step must return None, False or True (stop training), got "
                                    f"{type(answer).__name__} {answer!r}")
                if answer:
                    break
        self.loss_curve_ = np.array(losses)
        return self

    def save(self, path):
        """Write the fitted model to ``path`` (.npz, atomically, checked loadable first); returns the path."""
        self._fitted()
        return persistence.save(self, path)

    @classmethod
    def load(cls, path):
        """A fitted model read from a file written by ``save``; ValueError naming the file if it is not one."""
        return persistence.load(cls, path)

    def _fitted(self):
        if not hasattr(self, "params_"):
            raise NotFittedError("this Seq2Seq is not fitted yet: call fit(pairs) first")

    def decode_batch(self, sources, max_steps=None):
        """Greedy decoding of all ``sources`` at once -> (predictions: list of str, weights (S, N, T) or None).

        MemoryLimitError (``memory.greedy_bytes``) before decoding when they do not fit at once;
        ``predict`` decodes any number in pieces.
        """
        self._fitted()
        sources = list(sources) if isinstance(sources, tuple) else sources
        if isinstance(sources, list) and sources and all(isinstance(s, (str, list, tuple)) for s in sources):
            longest = max(map(len, sources))  # a text's tokens: checked before anything is encoded
            steps = decode.check_max_steps(min(2 * longest + 2, decode.MAX_STEPS) if max_steps is None else max_steps)
            check_bytes(memory.greedy_bytes(len(self.vocab_), self.hidden_size, self.cell, self.attention, longest,
                                            steps, len(sources)),
                        f"decoding {len(sources):,} sources of up to {longest:,} tokens at once",
                        "use predict, which decodes them in pieces, or decode fewer at once")
        ids, mask = pad_ids(self.vocab_, sources)
        if max_steps is None:
            max_steps = min(2 * ids.shape[0] + 2, decode.MAX_STEPS)
        outputs, weights = decode.greedy(self.params_, self.cell, ids, mask, max_steps)
        return [self.vocab_.decode(outputs[:, n]) for n in range(outputs.shape[1])], weights

    def predict(self, sources, max_steps=None):
        """The greedy translation of every source: a list of str.

        All at once when they fit in ``budget.PIECE_LIMIT``, else in pieces of sources of similar
        lengths (``budget.pieces``, ``memory.greedy_bytes``), each decoded for the same ``max_steps``
        (by default 2·T + 2 for the longest source T of all), so every translation is the one a
        single batch gives: a sequence's decoding does not depend on the others in its batch.
        """
        self._fitted()
        encoded = encode_texts(self.vocab_, list(sources) if isinstance(sources, tuple) else sources)
        lengths = [len(ids) for ids in encoded]
        max_steps = decode.check_max_steps(min(2 * max(lengths) + 2, decode.MAX_STEPS) if max_steps is None
                                           else max_steps)
        predictions = [None] * len(encoded)
        for piece in pieces(lengths, lambda longest, count: memory.greedy_bytes(
                len(self.vocab_), self.hidden_size, self.cell, self.attention, longest, max_steps, count), "sources"):
            outputs, _ = decode.greedy(self.params_, self.cell, *pad_encoded([encoded[n] for n in piece]), max_steps)
            for column, n in enumerate(piece):
                predictions[n] = self.vocab_.decode(outputs[:, column])
        return predictions

    def predict_beam(self, sources, beam_width=3, max_steps=None):
        """Beam-search translations, one source at a time (``decode.beam_search``): a list of str."""
        self._fitted()
        ids, mask = pad_ids(self.vocab_, list(sources) if isinstance(sources, tuple) else sources)
        predictions = []
        for n in range(ids.shape[1]):
            steps = min(2 * int(mask[:, n].sum()) + 2, decode.MAX_STEPS) if max_steps is None else max_steps
            found, _ = decode.beam_search(self.params_, self.cell, ids[:, [n]], mask[:, [n]], beam_width, steps)
            predictions.append(self.vocab_.decode(found))
        return predictions

    def attention_map(self, source):
        """``(prediction, weights (len(prediction) + 1, len(source)))``: where each output step looked.

        The last row is the step that wrote EOS (when it did). None instead of the
        weights for a model without attention.
        """
        (prediction,), weights = self.decode_batch([source])
        if weights is None:
            return prediction, None
        return prediction, weights[:len(prediction) + 1, 0, :len(source)]

    def predict_teacher_forced(self, pairs):
        """What the model writes when fed the true previous token at every step (a list of str)."""
        self._fitted()
        pairs = _check_pairs(pairs)
        memory.check_pairs(self, len(self.vocab_), *zip(*pairs), len(pairs), "teacher-forced prediction")
        outputs = decode.teacher_forced(self.params_, self.cell, Batch.of_pairs(self.vocab_, pairs))
        return [self.vocab_.decode(outputs[:, n]) for n in range(outputs.shape[1])]

    def exposure_bias(self, pairs):
        """Steps right after each sequence's first mistake: {"teacher_forced": fraction, "free_running":
        fraction, "steps": how many steps were counted} (the same steps in both: the prefixes agree up
        to the first mistake, so it falls at the same step)."""
        self._fitted()
        pairs = _check_pairs(pairs)
        memory.check_pairs(self, len(self.vocab_), *zip(*pairs), len(pairs), "measuring exposure bias")
        batch = Batch.of_pairs(self.vocab_, pairs)
        forced = decode.teacher_forced(self.params_, self.cell, batch)
        running, _ = decode.greedy(self.params_, self.cell, batch.source_ids, batch.source_mask,
                                   batch.labels.shape[0])
        (right_forced, steps), (right_running, _) = (decode.after_first_mistake(o, batch.labels)
                                                     for o in (forced, running))
        return {"teacher_forced": right_forced / max(steps, 1), "free_running": right_running / max(steps, 1),
                "steps": steps}

    def score(self, pairs):
        """Exact-match accuracy of greedy decoding on (source, target) pairs."""
        pairs = _check_pairs(pairs)
        predictions = self.predict([s for s, _ in pairs])
        return sum(p == t for p, (_, t) in zip(predictions, pairs)) / len(pairs)
