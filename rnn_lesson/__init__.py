"""rnn_lesson: a vanilla recurrent neural network built from scratch in NumPy.

The helper package of the rnn-lesson course; the notebooks derive each piece
inline and then check it against the functions exported here.
"""
from .activations import ACTIVATIONS, get_activation, identity, relu, sigmoid, tanh
from .baselines import all_negative, climatology, oversample_indices, persistence
from .data import Dataset, Sequence, generate_creditcard, load_creditcard, window_series, write_creditcard
from .evaluate import BinaryClassificationEvaluator, RegressionEvaluator
from .gradcheck import numerical_gradient, numerical_rnn_gradients, relative_error
from . import log
from .log import get_logger, setup_logging
from .losses import bce_with_logits_loss, mse_loss
from .models import RNN, NotFittedError, TrainingDiverged
from .optim import clip_by_global_norm, global_norm, sgd_step
from .rnn import PARAM_NAMES, backward, forward, init_params, step_backward, step_forward
from .shapes import check_shape
from . import cells, layers
from .gradcheck import numerical_gradients
from .losses import softmax_cross_entropy
from .optim import SGD, Adagrad, Adam, Momentum, get_optimizer

__version__ = "0.1.0"

# fast (numba's compiled epochs) and performance (lesson 07's versions, in fast/performance_story.py)
# are imported on first use (PEP 562), so that `import rnn_lesson` does not import numba:
# rl.fast.sgd_epoch, `from rnn_lesson import fast` and `import rnn_lesson.fast` all still work.
_ON_FIRST_USE = {"fast": ".fast", "performance": ".fast.performance_story"}


def __getattr__(name):
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    module = import_module(_ON_FIRST_USE[name], __name__)
    globals()[name] = module
    return module


def __dir__():
    return sorted({*globals(), *_ON_FIRST_USE})
