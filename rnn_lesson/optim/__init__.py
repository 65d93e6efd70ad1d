"""Gradient descent, clipping and optimizers with state; ``rl.optim`` is these two modules.

``steps``       global norm, clipping by it, ``sgd_step`` (lessons 04-05), all in place
``optimizers``  ``SGD``, ``Momentum``, ``Adagrad``, ``Adam`` with state and weight decay (lesson 14),
                ``get_optimizer`` by name
"""
from .optimizers import OPTIMIZERS, SGD, Adagrad, Adam, Momentum, Optimizer, check_decay, get_optimizer
from .steps import clip_by_global_norm, global_norm, sgd_step

__all__ = ["OPTIMIZERS", "SGD", "Adagrad", "Adam", "Momentum", "Optimizer", "check_decay", "get_optimizer",
           "clip_by_global_norm", "global_norm", "sgd_step"]
