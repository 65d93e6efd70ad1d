"""Which function computes a chunk's loss and gradients: the one seam between the model and an engine.

Every engine is a function with the signature and the numbers of
``objective.lm_loss_and_grads`` (the reference):

    lm_loss_and_grads(cell, params, inputs, targets, state) -> (loss, grads, new_state)

``CharLM(engine=name)`` trains with ``get_engine(name)``, and nothing else in the
model depends on the engine. A compiled engine is added by one entry in
ENGINES, after it is tested to give the reference's numbers (to ~1e-10).
"""
from .objective import lm_loss_and_grads

ENGINES = {"reference": lm_loss_and_grads}


def get_engine(name):
    """The ``lm_loss_and_grads`` function of the engine called ``name``; ValueError lists the engines there are."""
    if not isinstance(name, str):
        raise TypeError(f"engine must be a name (str), got {type(name).__name__}")
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r} for the language model; available: {', '.join(ENGINES)}"
                         + (" (the compiled engine is not part of the package yet)" if name == "fast" else ""))
    return ENGINES[name]
