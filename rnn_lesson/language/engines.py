"""Which function computes a chunk's loss and gradients: the one seam between the model and an engine.

Every engine is a function with the signature and the numbers of
``objective.lm_loss_and_grads`` (the reference):

    lm_loss_and_grads(cell, params, inputs, targets, state, dropout=0.0, rng=None) -> (loss, grads, new_state)

``CharLM(engine=name)`` trains with ``get_engine(name)``, and nothing else in the
model depends on the engine. ``ENGINES`` maps each name to a factory that makes one
such function for one training run:

    "reference"  the readable NumPy composition of lesson 13 (``objective``)
    "fast"       ``rl.fast.lm_loss_and_grads`` (lessons 07 and 13, issue 12): the recurrence
                 compiled, the inputs' product a row lookup, one workspace per chunk shape
                 reused from chunk to chunk. Tested to give
                 the reference's numbers to ~1e-10 (tests/test_fast_gated.py). One layer and
                 no dropout only (``FAST_ONLY``): ``check_combination`` refuses anything else.
"""
from .objective import lm_loss_and_grads, n_layers_of

MAX_WORKSPACES = 4  # chunk shapes kept per run: the full chunk and the short last one, with room to spare


def _reference():
    return lm_loss_and_grads


def _fast():
    """A fast ``lm_loss_and_grads`` with its own workspaces (numba is imported here, on first use)."""
    from ..fast import CellWorkspace, lm_loss_and_grads as compiled
    workspaces = {}

    def fast_lm_loss_and_grads(cell, params, inputs, targets, state, dropout=0.0, rng=None):
        check_combination("fast", n_layers_of(params), dropout)
        return compiled(cell, params, inputs, targets, state, workspace=_workspace(cell, params, inputs))

    def _workspace(cell, params, inputs):
        """The workspace of this chunk's shape, made on first use; None when a size is malformed (the
        compiled function then names what is wrong)."""
        try:
            (n_steps, n_seq), n_vocab, n_hidden = inputs.shape, params["W_xh"].shape[0], params["W_hh"].shape[0]
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            return None
        key = (cell, n_steps, n_seq, n_vocab, n_hidden)
        if key not in workspaces and len(workspaces) < MAX_WORKSPACES:
            try:
                workspaces[key] = CellWorkspace(cell, n_steps, n_seq, n_vocab, n_hidden, n_vocab)
            except (TypeError, ValueError):
                return None
        return workspaces.get(key)

    return fast_lm_loss_and_grads


ENGINES = {"reference": _reference, "fast": _fast}


def check_engine(name):
    """``name`` if it is an engine's name; TypeError for a non-str, ValueError listing the engines there are."""
    if not isinstance(name, str):
        raise TypeError(f"engine must be a name (str), got {type(name).__name__}")
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r} for the language model; available: {', '.join(ENGINES)}")
    return name


def check_combination(engine, n_layers, dropout):
    """ValueError unless ``engine`` computes a model of ``n_layers`` layers with ``dropout`` (fast: 1 and 0 only)."""
    if engine == "fast" and (n_layers != 1 or dropout != 0):
        raise ValueError(f"engine='fast' computes one layer without dropout only (got n_layers={n_layers!r}, "
                         f"dropout={dropout!r}); use engine='reference' for a stack or for dropout")


def get_engine(name):
    """A new ``lm_loss_and_grads`` function of the engine called ``name`` (for one training run)."""
    return ENGINES[check_engine(name)]()
