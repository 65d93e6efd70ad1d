"""rnn_lesson: a vanilla recurrent neural network built from scratch in NumPy.

The helper package of the rnn-lesson course; the notebooks derive each piece
inline and then check it against the functions exported here.
"""
from .activations import ACTIVATIONS, get_activation, identity, relu, sigmoid, tanh
from .baselines import all_negative, climatology, oversample_indices, persistence
from .data import Dataset, Sequence, generate_creditcard, load_creditcard, window_series, write_creditcard
from .evaluate import BinaryClassificationEvaluator, RegressionEvaluator
from .gradcheck import numerical_gradient, numerical_rnn_gradients, relative_error
from . import fast, performance
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
