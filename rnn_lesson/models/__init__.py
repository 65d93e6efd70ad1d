"""The estimator: ``RNN``, a scikit-learn style model of the vanilla RNN, one idea per module.

    estimator.py        RNN: stores hyperparameters; fit (with an after_epoch hook), predict, save/load
    hyperparameters.py  every hyperparameter's check, in one table; what each training engine supports
    sequences.py        the data forms fit and predict accept, checked; 0/1 labels for loss="bce"
    training.py         the epochs: the reference SGD loop, the fast engine, divergence, the progress bar
    network.py          the network trained (init, forward, backward): the one place a cell is named
    persistence.py      save and load: a pickle-free .npz archive (format version 3), validated
    classifier.py       SequenceClassifier: one class per sequence of any length, padded batches and a mask
"""
from .classifier import SequenceClassifier
from .estimator import RNN, NotFittedError
from .training import TrainingDiverged

__all__ = ["RNN", "NotFittedError", "TrainingDiverged", "SequenceClassifier"]
