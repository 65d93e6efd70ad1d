"""CharLM: a character-level language model, scikit-learn style, on any of the course's cells.

    model = rl.CharLM(cell="gru", hidden_size=64, epochs=5).fit(text)
    model.loss(heldout_text)            mean nats per predicted character
    model.sample(200, temperature=0.8, prompt="ROMEO.\\n", seed=1)
    model.save("shakespeare.npz");  rl.CharLM.load("shakespeare.npz")

``__init__`` only stores the hyperparameters (``hyperparameters.DEFAULTS``);
``fit`` learns ``vocab_`` (a Vocabulary), ``params_`` (see ``objective``),
``loss_curve_`` (mean training loss per epoch), ``history_`` (per epoch: loss,
held-out loss when a validation text is given, seconds) and ``start_char_``
(what an empty prompt starts from: a newline if the text has one, else its
first character).

Deep and regularised (lessons 14-15): ``n_layers`` cells stacked, each reading
the states of the one below (``layers.stack``), and ``dropout`` on every layer's
output while training only (``loss``, ``hidden_states`` and ``sample`` never
drop); both need ``engine="reference"``. ``bidirectional`` is not offered: a
language model predicts the next character, and a backward direction would read
it (the future) before predicting it.
"""
import numbers
import time

import numpy as np

from ..log import get_logger
from ..models.estimator import NotFittedError, _check_hook, _stop_requested
from ..blas import one_blas_thread_methods
from ..optim import get_optimizer
from ..schedules import fresh_copy
from ..shapes import check_seed
from . import persistence
from .batching import stream_ids
from .hyperparameters import DEFAULTS, check_all
from .memory import check_training
from .objective import init_params
from .running import generate, hidden_states, mean_loss
from .sampling import check_temperature, check_top_k
from .training import train_epochs
from .vocabulary import Vocabulary, check_text

MAX_SAMPLE = 1_000_000  # characters one call to sample may ask for
MAX_PROMPT = 10_000  # characters a prompt may hold: each is one step of the network before the first draw


@one_blas_thread_methods  # every public method: one BLAS thread (rnn_lesson/blas.py)
class CharLM:
    """A recurrent language model over characters (the hyperparameters: ``hyperparameters.DEFAULTS``)."""

    def __init__(self, cell="lstm", hidden_size=128, n_layers=1, dropout=0.0, seq_len=32, batch_size=32,
                 learning_rate=0.005, optimizer="adam", clip_norm=5.0, epochs=10, stateful=True, seed=0,
                 engine="reference", max_seconds=None, progress="auto"):
        self.cell, self.hidden_size, self.seq_len, self.batch_size = cell, hidden_size, seq_len, batch_size
        self.n_layers, self.dropout = n_layers, dropout
        self.learning_rate, self.optimizer, self.clip_norm, self.epochs = learning_rate, optimizer, clip_norm, epochs
        self.stateful, self.seed, self.engine, self.max_seconds = stateful, seed, engine, max_seconds
        self.progress = progress

    def get_params(self):
        """The hyperparameters as a dict (name -> value), in the order of ``__init__``."""
        return {name: getattr(self, name) for name in DEFAULTS}

    def __repr__(self):
        changed = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items() if v != DEFAULTS[k])
        return f"CharLM({changed})"

    def fit(self, text, validation=None, after_epoch=None):
        """Learn the vocabulary of ``text`` and train on it; returns self.

        ``validation``: None, or a held-out text whose loss is measured after
        every epoch (into ``history_``). ``after_epoch(epoch, model)`` is called
        after each epoch; returning True stops training.
        """
        check_all(self.get_params())
        check_text(text, "text", min_length=2)
        _check_hook(after_epoch)
        vocab = Vocabulary.from_text(text)
        check_training(self, len(vocab), len(text))  # MemoryLimitError before any weight or chunk exists
        ids = vocab.encode(text)
        stream_ids(ids, self.batch_size)  # a text too short for batch_size streams fails here, named
        validation_ids = None if validation is None else vocab.encode(check_text(validation, "validation", 2),
                                                                      "validation")
        self.vocab_, self.start_char_ = vocab, "\n" if "\n" in text else text[0]
        self.params_ = init_params(self.cell, len(vocab), self.hidden_size, self.seed, self.n_layers)
        self.loss_curve_, self.history_ = [], []
        log, started = get_logger(__name__), time.perf_counter()
        layers = f" in each of {self.n_layers} layers" if self.n_layers > 1 else ""
        log.info(f"training a {self.cell} of {self.hidden_size} units{layers} on {len(ids):,} characters "
                 f"({len(vocab)} distinct) for {self.epochs} epoch(s)")

        def end_of_epoch(epoch):
            record = {"epoch": epoch, "loss": self.loss_curve_[-1], "seconds": time.perf_counter() - started}
            if validation_ids is not None:
                record["validation_loss"] = mean_loss(self.cell, self.params_, validation_ids)
            self.history_.append(record)
            log.debug("epoch %d: %s", epoch, record)
            return after_epoch is not None and _stop_requested(after_epoch(epoch, self))

        # a name: a new optimizer; an object: a fresh copy of it (its learning rate must be learning_rate's)
        optimizer = get_optimizer(self.optimizer, self.learning_rate)
        train_epochs(self, ids, fresh_copy(optimizer) if optimizer is self.optimizer else optimizer, end_of_epoch)
        return self

    def _fitted(self):
        if not hasattr(self, "params_"):
            raise NotFittedError("this CharLM is not trained yet: call fit(text) or CharLM.load(path) first")

    def encode(self, text, name="text"):
        """The ids of ``text`` in the model's vocabulary (ValueError names a character it does not know)."""
        self._fitted()
        return self.vocab_.encode(text, name)

    def loss(self, text):
        """Mean cross-entropy in nats per predicted character of ``text`` (its L - 1 characters after the first)."""
        ids = self.encode(check_text(text, "text", min_length=2))
        return mean_loss(self.cell, self.params_, ids)

    def hidden_states(self, text):
        """hs (L, H): the (top layer's) hidden state after each character of ``text``, read from h = 0."""
        ids = self.encode(check_text(text))
        return hidden_states(self.cell, self.params_, ids)

    def sample(self, n_chars, temperature=1.0, prompt="", top_k=None, seed=None):
        """``n_chars`` new characters (a str, the prompt not included), drawn one at a time.

        The model first reads ``prompt`` (or, when it is empty, ``start_char_``);
        ``seed=None`` uses the model's own seed, so a call is repeatable.
        """
        self._fitted()
        if isinstance(n_chars, bool) or not isinstance(n_chars, numbers.Integral) or not 0 <= n_chars <= MAX_SAMPLE:
            raise ValueError(f"n_chars must be an int from 0 to {MAX_SAMPLE:,}, got {n_chars!r}")
        temperature, top_k = check_temperature(temperature), check_top_k(top_k, len(self.vocab_))
        if isinstance(prompt, str) and len(prompt) > MAX_PROMPT:
            raise ValueError(f"prompt holds {len(prompt):,} characters; at most {MAX_PROMPT:,} are read")
        start = self.encode(check_text(prompt, "prompt", min_length=0) or self.start_char_, "prompt")
        rng = _generator(self.seed if seed is None else seed)
        return self.vocab_.decode(generate(self.cell, self.params_, start, int(n_chars), rng, temperature, top_k))

    def save(self, path):
        """Write the trained model to ``path`` (.npz added if missing), atomically; returns the path written."""
        self._fitted()
        return persistence.save(self, path)

    @classmethod
    def load(cls, path):
        """A trained CharLM read from ``path``; ValueError naming the file for anything but a CharLM archive."""
        return persistence.load(cls, path)


def _generator(seed):
    return np.random.default_rng(check_seed(seed))
