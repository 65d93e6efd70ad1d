"""rnn_lesson: recurrent neural networks built from scratch in NumPy, one idea per module.

The helper package of the rnn-lesson course: each notebook derives a piece
inline and then checks it against the package, so what a lesson teaches is what
the package does. Where each lesson's code lives:

====  ======================  =====================================================================
 #    lesson                  modules
====  ======================  =====================================================================
 01   matrix_ops              ``shapes`` (checks with readable messages)
 02   sequence_data           ``data.sequences``, ``data.scaling``, ``data.csvread``,
                              ``data.sequence_csv``, ``data.windows``, ``data.creditcard``
 03   forward_pass            ``activations``, ``cells.rnn`` (the cell), ``layers.linear`` (the output
                              layer), ``rnn`` (the two together: ``rl.forward`` / ``rl.step_forward``)
 04   bptt                    ``rnn`` (``rl.backward``, truncated BPTT), ``cells.rnn``, ``gradcheck``,
                              ``explore.backward_graph`` (the drawing of the two roads)
 05   training_sgd            ``losses``, ``optim`` (``sgd_step``, clipping), ``models`` (``rl.RNN``:
                              ``estimator``, ``hyperparameters``, ``training``, ``persistence``)
 06   evaluators              ``evaluate``, ``baselines``
 07   performance_story       ``fast`` (``jit``, ``vecmath``, ``sequence``, ``batch``, ``epochs``,
                              ``workspace``, ``performance_story`` = ``rl.performance``,
                              ``two_ideas``: v2's two changes apart)
 08   case_fraud              ``data.creditcard``, ``baselines``, ``models``, ``evaluate``
 09   case_temperature        ``data.windows``, ``baselines``, ``models``, ``evaluate``
 10   memory                  ``data.memory`` (tasks only memory solves), ``recall`` (the experiment
                              of lessons 10-12), ``cells.rnn``, ``models`` (cell=, batch_size=)
 11   lstm                    ``cells.lstm``, ``cells.common`` (the contract every cell shares),
                              ``models.network`` (keep-gate biases: chrono), ``explore.recall``
 12   gru                     ``cells.gru``, ``recall``
 13   char_language_model     ``language`` (``rl.CharLM``; ``lm_loss_and_grads`` in ``language.objective``;
                              ``ngrams``, ``window_mlp`` and ``ladder``: the baselines, best against
                              best), ``explore.language``, ``losses`` (softmax cross-entropy)
 14   training_toolkit        ``optim`` (Momentum, Adagrad, Adam, weight decay), ``schedules``,
                              ``monitor`` (gradient norms, early stopping), ``layers.dropout``,
                              ``models`` (optimizer=, dropout=), ``toolkit`` (its comparisons'
                              run functions), ``explore.optimizers``
 15   deep_and_bidirectional  ``layers.stack``, ``layers.bidirectional``, ``layers.masking``,
                              ``models`` (n_layers=, bidirectional=; ``classifier``: many-to-one),
                              ``depth`` (the lesson's measured comparisons), ``data.directions``
 16   seq2seq_attention       ``seq2seq`` (``vocab``, ``tasks``, ``batches``, ``attention``, ``network``,
                              ``decode``, ``model`` = ``rl.seq2seq.Seq2Seq``), ``explore.attention``
====  ======================  =====================================================================

Beside them: ``experiments`` (fair comparisons for lessons 10-16: each method at its best
setting on validation data, over seeds, as a tidy table, a figure and a CSV under data/results/),
``diagrams`` (a matplotlib drawing of every architecture, labelled with the lessons' symbols),
``exercises`` (checker modules per lesson, and ``exercises.capstone`` for the
end of lesson 09), ``explore`` (one
explorer per module, with ``widgets``), ``log``, ``cli`` (``python -m rnn_lesson``
train / predict / evaluate), ``models.archive`` (files written atomically, read
warily), ``budget`` (the memory a size needs, refused beyond 2 GiB before any
allocation) and ``numerics`` (results that must be finite: an overflow is named).
``optim`` also holds SGD, Momentum, Adagrad and Adam objects with state, and
``losses`` the softmax cross-entropy, for the lessons that come after 12.

Dimension letters everywhere: T time steps, N sequences, I inputs, H hidden
units, O outputs. ``fast`` (and with it numba) is imported on first use.
"""
from . import cells, experiments, language, layers, log, monitor, recall, schedules, seq2seq
from .activations import ACTIVATIONS, get_activation, identity, relu, sigmoid, tanh
from .baselines import all_negative, climatology, oversample_indices, persistence
from .data import Dataset, Sequence, generate_creditcard, load_creditcard, window_series, write_creditcard
from .evaluate import BinaryClassificationEvaluator, RegressionEvaluator, class_accuracy
from .gradcheck import numerical_gradient, numerical_gradients, numerical_rnn_gradients, relative_error
from .language import CharLM
from .log import get_logger, setup_logging
from .losses import NO_TARGET, bce_with_logits_loss, cross_entropy_loss, mse_loss, softmax_cross_entropy
from .models import RNN, NotFittedError, SequenceClassifier, TrainingDiverged
from .monitor import EarlyStopping, Monitored, suggest_clip_norm
from .optim import SGD, Adagrad, Adam, Momentum, clip_by_global_norm, get_optimizer, global_norm, sgd_step
from .rnn import PARAM_NAMES, backward, forward, init_params, step_backward, step_forward
from .schedules import Cosine, Scheduled, StepDecay, Warmup
from .shapes import check_shape

__version__ = "0.1.0"

# fast (numba's compiled epochs), performance (lesson 07's versions, in fast/performance_story.py) and
# diagrams (matplotlib drawings) are imported on first use (PEP 562), so that `import rnn_lesson` stays light:
# rl.fast.sgd_epoch, `from rnn_lesson import fast` and `import rnn_lesson.fast` all still work.
_ON_FIRST_USE = {"fast": ".fast", "performance": ".fast.performance_story", "diagrams": ".diagrams"}


def __getattr__(name):
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    module = import_module(_ON_FIRST_USE[name], __name__)
    globals()[name] = module
    return module


def __dir__():
    return sorted({*globals(), *_ON_FIRST_USE})
