"""Checker for lesson 15: the masked loss, written by the learner.

    check_masked_mse(fn)   fn(ys, targets, mask) -> (loss, dys)

Shapes: ys, targets (T, N, O) time-major; mask (T, N) with 1 on real steps and
0 on padding. The loss is the mean squared error over the real steps only,

    L = sum over real (t, n) and all o of (y - target)^2 / (O * number of real steps)
    dys = 2 mask (y - target) / (O * number of real steps)        exactly 0 on padding

as ``rl.layers.masking.masked_mse``. The checker runs three seeded batches (one
with no padding at all, where the masked loss is the plain MSE), with large
values on the padding so a loss that reads them shows it, and names the classic
mistakes in ``MISTAKES``.
"""
import numpy as np

from ..layers.masking import mask_from_lengths, masked_mse
from . import call_safely, compare, known_mistake, real_numbers, returned, verdict, with_hint

MISTAKES = {
    "no_mask": "Hint: this is the plain MSE over every entry, padding included. Multiply (y - target) by the mask "
               "(mask[..., None]) before squaring, and average over the real steps only.",
    "all_steps": "Hint: the padding is left out of the sum, but the sum is divided by every entry (T * N * O). "
                 "Divide by the number of REAL entries: O * mask.sum().",
    "no_width": "Hint: divided by the number of real steps, mask.sum(), but each step has O outputs: divide by "
                "O * mask.sum(), so the loss is a mean over entries as rl.mse_loss is.",
    "no_two": "Hint: the derivative of (y - target)^2 is 2 (y - target): the factor 2 is missing from dys.",
    "dys_unmasked": "Hint: dys is not 0 on the padding. A padded step is not in the loss, so its gradient is "
                    "exactly 0: multiply dys by the mask too.",
}


def _mistake(ys, targets, mask, mistake):
    """(loss, dys) with one of MISTAKES."""
    mask3 = mask[..., None]
    diff = ys - targets
    if mistake == "no_mask":
        return float(np.mean(diff ** 2)), 2 * diff / diff.size
    count = {"all_steps": diff.size, "no_width": mask.sum()}.get(mistake, mask.sum() * ys.shape[2])
    loss = float(np.sum((diff * mask3) ** 2) / count)
    dys = (1 if mistake == "no_two" else 2) * diff * (1 if mistake == "dys_unmasked" else mask3) / count
    return loss, dys


def _cases():
    cases = []
    for number, (lengths, n_outputs, seed) in enumerate([((4, 2, 3), 2, 0), ((5, 5), 1, 1), ((6, 1, 3, 6), 3, 2)]):
        rng = np.random.default_rng(150 + seed)
        n_steps = max(lengths)
        ys = rng.standard_normal((n_steps, len(lengths), n_outputs))
        targets = rng.standard_normal(ys.shape)
        mask = mask_from_lengths(np.array(lengths), n_steps)
        ys[mask == 0] = 50.0  # what a loss should never read
        cases.append((f"case {number + 1} (T={n_steps}, lengths {list(lengths)}, O={n_outputs})", ys, targets, mask))
    return cases


def check_masked_mse(fn):
    """Check ``fn(ys, targets, mask) -> (loss, dys)`` against ``rl.layers.masking.masked_mse``."""
    for what, ys, targets, mask in _cases():
        result, problem = call_safely(fn, [ys, targets, mask], what)
        if problem is None:
            result, problem = returned(result, ("loss", "dys"), what, "Write the masked loss, then run the cell again.")
        if problem:
            return verdict([problem], "")
        loss, dys = result
        expected_loss, expected_dys = masked_mse(ys, targets, mask)
        mistakes = {m: _mistake(ys, targets, mask, m) for m in MISTAKES}
        loss_array, loss_problem = real_numbers(loss)
        if loss_problem is None and loss_array.shape != ():
            loss_problem = f"the loss must be one number, got an array of shape {loss_array.shape}."
        if loss_problem:
            return verdict([f"{what}, the loss: {loss_problem}"], "")
        problem = compare(loss, expected_loss, f"{what}, the loss")
        if problem:
            hint = known_mistake(loss, [(MISTAKES[m], v[0]) for m, v in mistakes.items()], rtol=1e-7)
            return verdict([with_hint(problem, hint)], "")
        problem = compare(dys, expected_dys, f"{what}, dys", axis_names=("time step", "sequence"))
        if problem:
            hint = known_mistake(dys, [(MISTAKES[m], v[1]) for m, v in mistakes.items()], rtol=1e-7)
            return verdict([with_hint(problem, hint)], "")
    return verdict([], "the loss and dys agree with rl.layers.masking.masked_mse on all three batches, and dys is "
                       "0 on every padded step.")
