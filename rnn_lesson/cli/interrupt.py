"""Ctrl-C during a command: one line saying where it stopped, exit code 130, no traceback, no file touched.

    with interruptible(model, epochs, save_path):
        model.fit(...)

A KeyboardInterrupt inside the block becomes :class:`Interrupted`, whose message counts the
epochs the model finished (``len(model.loss_curve_)``) and says that nothing was saved: models
are saved only after training, and atomically (``models.archive``), so an existing ``--save``
file is exactly as it was. ``cli.main`` prints the message as its one error line and returns
``EXIT_CODE`` (128 + SIGINT, the shell's convention).
"""
import contextlib

EXIT_CODE = 130


class Interrupted(Exception):
    """Raised in place of KeyboardInterrupt while a command trains; its text is the line to print."""


@contextlib.contextmanager
def interruptible(model, epochs, save_path=None):
    """Turn Ctrl-C inside the block into :class:`Interrupted`, naming the epochs done of ``epochs``."""
    try:
        yield
    except KeyboardInterrupt:
        done = len(getattr(model, "loss_curve_", ()))
        kept = f"; {save_path} is untouched" if save_path is not None else ""
        raise Interrupted(f"interrupted (Ctrl-C) during training, after {done} of {epochs} epoch(s); "
                          f"nothing was saved{kept}") from None
