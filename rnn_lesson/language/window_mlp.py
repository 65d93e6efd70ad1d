"""A fixed-window neural language model (Bengio et al. 2003; the MLP of Karpathy's makemore lectures).

Dimensions: N predictions in a batch, n characters of context (``context``), V
characters, E numbers per character (``embed_size``), H hidden units. The
context of a prediction is the n characters before it (``ngrams.context_windows``
with order n + 1; a missing character is NONE = V, which has its own embedding
row, so C has V + 1 rows). No state is carried from one prediction to the next:
whatever lies further back than n characters, the model cannot see.

    x      = concat(C[w_1], ..., C[w_n])          (N, n·E)   C (V+1, E): a row lookup per character
    h      = tanh(x @ W1 + b1)                    (N, H)     W1 (n·E, H), b1 (H,)
    logits = h @ W2 + b2                          (N, V)     W2 (H, V), b2 (V,)
    loss   = mean over N of -log softmax(logits)[target]      (nats)

Backward, one line per line above (g = (p - onehot(target)) / N, as
``rl.softmax_cross_entropy``):

    dW2 = h.T @ g,  db2 = sum_N g,  dh = g @ W2.T
    da  = dh * (1 - h**2)                         tanh' = 1 - tanh**2
    dW1 = x.T @ da, db1 = sum_N da, dx = da @ W1.T
    dC[w_j] += dx[:, j·E:(j+1)·E]                 every occurrence adds its share (np.add.at)

``fit`` trains with the package's optimizers (``rl.optim``: Adam by default, the
global gradient norm clipped) on minibatches drawn without replacement, the order
shuffled every epoch by a generator seeded ``[seed, 4]``: the same seed trains to
the same numbers.
"""
import numpy as np

from ..blas import one_blas_thread_methods
from ..budget import check_bytes
from ..losses import softmax_cross_entropy
from ..optim import get_optimizer
from ..shapes import check_ids, check_positive_float, check_positive_int, check_seed
from .ngrams import context_windows

PARAM_NAMES = ("C", "W1", "b1", "W2", "b2")
OUTPUT_SCALE = 0.1  # small output weights: the first predictions are near uniform (loss near ln V)
TANH_GAIN = 5 / 3   # Kaiming's gain for tanh: keeps the hidden units out of saturation at the start
EVAL_BATCH = 4096   # predictions scored at once by ``mean_loss``


def init_params(vocab_size, context=3, embed_size=10, hidden_size=200, seed=0):
    """Seeded float64 parameters: C ~ N(0, 1); W1 ~ N(0, 1)·gain/sqrt(n·E); W2 ~ N(0, 1)·0.1/sqrt(H); biases 0."""
    V = check_positive_int(vocab_size, "vocab_size", most=100_000)
    n, E = check_positive_int(context, "context", most=64), check_positive_int(embed_size, "embed_size", most=4096)
    H = check_positive_int(hidden_size, "hidden_size", most=4096)
    check_bytes(8 * ((V + 1) * E + n * E * H + H * V), f"a window model of n={n}, E={E}, H={H}, V={V}",
                "use smaller sizes")
    rng = np.random.default_rng(check_seed(seed))
    return {"C": rng.standard_normal((V + 1, E)),
            "W1": rng.standard_normal((n * E, H)) * TANH_GAIN / np.sqrt(n * E), "b1": np.zeros(H),
            "W2": rng.standard_normal((H, V)) * OUTPUT_SCALE / np.sqrt(H), "b2": np.zeros(V)}


def _check(params, windows, targets):
    missing = [name for name in PARAM_NAMES if name not in params]
    if missing:
        raise ValueError(f"params lacks {missing}; a window model has {', '.join(PARAM_NAMES)}")
    for name in PARAM_NAMES:
        if not isinstance(params[name], np.ndarray) or params[name].dtype != np.float64:
            raise TypeError(f"params[{name!r}] must be a float64 NumPy array")
    (rows, E), (nE, H), V = params["C"].shape, params["W1"].shape, params["W2"].shape[1]
    if rows != V + 1 or nE % E or params["W2"].shape[0] != H or params["b1"].shape != (H,) \
            or params["b2"].shape != (V,):
        raise ValueError(f"params do not fit together: C {params['C'].shape} must be (V+1, E), W1 {params['W1'].shape} "
                         f"(n·E, H), W2 {params['W2'].shape} (H, V), b1 (H,), b2 (V,)")
    windows = check_ids(windows, "windows", rows, ndim=2)
    if windows.shape[1] * E != nE:
        raise ValueError(f"windows hold {windows.shape[1]} characters of context but W1 expects {nE // E}")
    targets = check_ids(targets, "targets", V, ndim=1)
    if len(targets) != len(windows):
        raise ValueError(f"windows ({len(windows)}) and targets ({len(targets)}) must have one row per prediction")
    return windows, targets


def loss_and_grads(params, windows, targets):
    """Mean cross-entropy of the predictions (windows (N, n) ids in [0, V], targets (N,)) and its gradients.

    Returns (loss float, grads dict like params); see the module docstring.
    """
    windows, targets = _check(params, windows, targets)
    N = len(targets)
    x = params["C"][windows].reshape(N, -1)                  # (N, n·E)
    h = np.tanh(x @ params["W1"] + params["b1"])             # (N, H)
    logits = h @ params["W2"] + params["b2"]                 # (N, V)
    loss, g = softmax_cross_entropy(logits, targets)         # g = (p - onehot) / N
    dh = g @ params["W2"].T
    da = dh * (1.0 - h * h)
    dx = da @ params["W1"].T                                 # (N, n·E)
    dC = np.zeros_like(params["C"])
    np.add.at(dC, windows, dx.reshape(windows.shape + (-1,)))
    return loss, {"C": dC, "W1": x.T @ da, "b1": da.sum(axis=0), "W2": h.T @ g, "b2": g.sum(axis=0)}


def logits_of(params, windows):
    """The logits (N, V) of the predictions from ``windows`` (N, n), without gradients."""
    N = len(windows)
    h = np.tanh(params["C"][windows].reshape(N, -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def mean_loss(params, windows, targets):
    """Mean -ln p(target) in nats over all the predictions, scored EVAL_BATCH at a time."""
    windows, targets = _check(params, windows, targets)
    total = 0.0
    for start in range(0, len(targets), EVAL_BATCH):
        logits = logits_of(params, windows[start:start + EVAL_BATCH])
        shifted = logits - logits.max(axis=1, keepdims=True)
        picked = shifted[np.arange(len(shifted)), targets[start:start + EVAL_BATCH]]
        total += float(np.sum(np.log(np.exp(shifted).sum(axis=1)) - picked))
    return total / len(targets)


@one_blas_thread_methods  # every public method: one BLAS thread (rnn_lesson/blas.py)
class WindowMLP:
    """The window model, scikit-learn style, on character ids: ``WindowMLP(context=3).fit(ids, V).loss(test_ids)``.

    ``boundary``: None reads the text as one stream; a character id (the newline)
    starts every context afresh after it (see ``ngrams``).
    """

    def __init__(self, context=3, embed_size=10, hidden_size=200, boundary=None, learning_rate=0.003,
                 optimizer="adam", batch_size=64, clip_norm=5.0, epochs=1, seed=0):
        self.context, self.embed_size, self.hidden_size, self.boundary = context, embed_size, hidden_size, boundary
        self.learning_rate = check_positive_float(learning_rate, "learning_rate")
        self.optimizer, self.clip_norm, self.seed = optimizer, clip_norm, check_seed(seed)
        self.batch_size = check_positive_int(batch_size, "batch_size", most=1_000_000)
        self.epochs = check_positive_int(epochs, "epochs", most=10_000)

    def __repr__(self):
        return (f"WindowMLP(context={self.context}, embed_size={self.embed_size}, hidden_size={self.hidden_size}, "
                f"boundary={self.boundary!r}, learning_rate={self.learning_rate:g}, epochs={self.epochs})")

    def windows(self, ids):
        """(windows (L-1, n), targets (L-1,)) of the predictions of ``ids``, in this model's vocabulary."""
        ids = check_ids(ids, "ids", self.vocab_size_, ndim=1)
        return context_windows(ids, self.context + 1, self.vocab_size_, self.boundary), ids[1:]

    def fit(self, ids, vocab_size, after_epoch=None):
        """Train on the predictions of ``ids`` (L,); ``after_epoch(epoch, model)`` returning True stops. Returns self."""
        self.vocab_size_ = check_positive_int(vocab_size, "vocab_size", most=100_000)
        windows, targets = self.windows(ids)
        self.params_ = init_params(self.vocab_size_, self.context, self.embed_size, self.hidden_size, self.seed)
        optimizer = get_optimizer(self.optimizer, self.learning_rate)
        rng = np.random.default_rng([self.seed, 4])
        self.loss_curve_ = []
        for epoch in range(1, self.epochs + 1):
            order, total = rng.permutation(len(targets)), 0.0
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                loss, grads = loss_and_grads(self.params_, windows[batch], targets[batch])
                optimizer.step(self.params_, grads, clip_norm=self.clip_norm)
                total += loss * len(batch)
            self.loss_curve_.append(total / len(targets))
            if after_epoch is not None and after_epoch(epoch, self):
                break
        return self

    def loss(self, ids):
        """Mean nats per predicted character of ``ids`` (L,)."""
        if not hasattr(self, "params_"):
            raise ValueError("this WindowMLP is not trained yet: call fit(ids, vocab_size) first")
        return mean_loss(self.params_, *self.windows(ids))
