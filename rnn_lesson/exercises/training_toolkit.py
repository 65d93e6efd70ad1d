"""Checkers for lesson 14: one Adam step, and a reduce-on-plateau hook, written by the learner.

    check_adam_step(fn)   fn(param, grad, m, v, t, learning_rate, beta1, beta2, eps) -> (param, m, v)
    check_reduce_on_plateau(reduce_on_plateau)   reduce_on_plateau(patience, factor) -> hook(epoch, model)

Shapes: param, grad, m, v all (K,); t the step number, 1 on the first step.
Returns the new values, leaving its input arrays as they were (the checker says so otherwise):

    m <- b1 m + (1 - b1) g            v <- b2 v + (1 - b2) g^2
    m_hat = m / (1 - b1^t)            v_hat = v / (1 - b2^t)
    param <- param - lr * m_hat / (sqrt(v_hat) + eps)

as ``rl.Adam`` (and torch.optim.Adam). The checker runs 12 steps on two seeded
problems, feeding back the reference's param, m and v before each step (so one
slip does not spoil the next), with gradients of very different sizes, and
names the classic mistakes in ``MISTAKES``.

The hook (exercise 3) multiplies ``model.optimizer_.learning_rate`` by ``factor`` after
``patience`` epochs in a row without a new, strictly lower, validation loss
(``model.history_[-1]["validation_loss"]``), then counts again from 0. ``model.optimizer_`` is
the fresh copy of the optimizer that ``fit`` trains with; the optimizer given to the RNN
(``model.optimizer``) is never trained, and a hook that changes it (or ``model.learning_rate``)
is refused by fit. The checker feeds the hook two scripted cases (a fake model whose
``optimizer_`` is a ``Scheduled`` Adam) and names the mistakes in ``PLATEAU_MISTAKES`` and
the wrong objects, then runs a real fit with it and with ``reference_plateau_hook``, which
must agree to the bit.
"""
import logging

import numpy as np

from ..log import get_logger
from ..optim import Adam
from . import call_safely, compare, known_mistake, returned, verdict, with_hint

MISTAKES = {
    "no_correction": "Hint: the bias correction is missing. m and v start at 0, so early on they are too small: "
                     "divide by (1 - beta1**t) and (1 - beta2**t).",
    "t_from_zero": "Hint: the bias correction used t - 1. t counts steps from 1, so the first step divides by "
                   "(1 - beta1**1).",
    "eps_inside": "Hint: eps went inside the square root, sqrt(v_hat + eps). Adam adds it outside: "
                  "sqrt(v_hat) + eps.",
    "v_from_g": "Hint: v must average the SQUARED gradient: v = beta2 v + (1 - beta2) g**2.",
    "no_one_minus": "Hint: m = beta1 m + g is momentum's buffer, not Adam's average: weight g by (1 - beta1) "
                    "(and g**2 by (1 - beta2)).",
    "plus": "Hint: the step went uphill: param - lr * m_hat / (sqrt(v_hat) + eps), with a minus.",
}

N_STEPS = 12


def _step(param, grad, m, v, t, lr, b1, b2, eps, mistake=None):
    """One step, right or with one of MISTAKES, computed as a learner's code would (inf, NaN and all): (param, m, v)."""
    weight1, weight2 = (1.0, 1.0) if mistake == "no_one_minus" else (1 - b1, 1 - b2)
    m = b1 * m + weight1 * grad
    v = b2 * v + weight2 * (grad if mistake == "v_from_g" else grad * grad)
    with np.errstate(divide="ignore", invalid="ignore"):
        if mistake == "no_correction":
            m_hat, v_hat = m, v
        else:
            power = t - 1 if mistake == "t_from_zero" else t
            m_hat, v_hat = m / (1 - b1 ** power), v / (1 - b2 ** power)
        root = np.sqrt(v_hat + eps) if mistake == "eps_inside" else np.sqrt(v_hat) + eps
        return param + (1 if mistake == "plus" else -1) * lr * m_hat / root, m, v


def _cases():
    cases = []
    for number, (size, lr, b1, b2, scale) in enumerate([(5, 0.01, 0.9, 0.999, 1.0), (4, 0.1, 0.8, 0.99, 1e-3)]):
        rng = np.random.default_rng(140 + number)
        param = rng.standard_normal(size)
        grads = [scale * rng.standard_normal(size) * 10.0 ** rng.uniform(-2, 1) for _ in range(N_STEPS)]
        cases.append((f"case {number + 1} (lr={lr}, beta1={b1}, beta2={b2})", param, grads, (lr, b1, b2, 1e-8)))
    return cases


def check_adam_step(fn):
    """Check ``fn(param, grad, m, v, t, learning_rate, beta1, beta2, eps) -> (param, m, v)`` against rl.Adam."""
    for what_case, param, grads, (lr, b1, b2, eps) in _cases():
        reference, optimizer = {"p": param.copy()}, Adam(lr, beta1=b1, beta2=b2, eps=eps)
        m, v = np.zeros_like(param), np.zeros_like(param)
        for t, grad in enumerate(grads, start=1):
            what = f"{what_case}, step t={t}"
            before = (reference["p"].copy(), m.copy(), v.copy())
            optimizer.step(reference, {"p": grad})
            state = optimizer.state["p"]
            expected = (reference["p"], state["m"], state["v"])
            result, problem = call_safely(fn, [*before[:1], grad, *before[1:], t, lr, b1, b2, eps], what)
            if problem is None:
                result, problem = returned(result, ("param", "m", "v"), what, "Write the step, then run the cell again.")
            if problem:
                return verdict([problem], "")
            variants = {k: _step(*before[:1], grad, *before[1:], t, lr, b1, b2, eps, k) for k in MISTAKES}
            for index, name in ((1, "m"), (2, "v"), (0, "param")):
                problem = compare(result[index], expected[index], f"{what}, {name}", axis_names=("entry",))
                if problem:
                    hint = known_mistake(result[index], [(MISTAKES[k], val[index]) for k, val in variants.items()],
                                         rtol=1e-7)
                    return verdict([with_hint(problem, hint)], "")
            m, v = state["m"].copy(), state["v"].copy()
    return verdict([], f"param, m and v agree with rl.Adam at all {N_STEPS} steps of both cases.")


# ---------------------------------------------------------------- exercise 3: reduce on plateau

PLATEAU_MISTAKES = {
    "never": "Hint: the rate was never lowered. After `patience` epochs in a row without a new lowest validation "
             "loss, multiply model.optimizer_.learning_rate by `factor`: fit trains model.optimizer_, a fresh copy "
             "of the optimizer given to the RNN, so changing an optimizer object of your own does nothing.",
    "every_epoch": "Hint: the rate goes down at every epoch. Lower it only after `patience` epochs in a row without "
                   "a new lowest validation loss.",
    "no_restart": "Hint: after lowering the rate, start counting again from 0; otherwise it goes down at every "
                  "epoch of a long plateau.",
    "equal_counts": "Hint: a validation loss equal to the lowest so far is not a new low; only a strictly lower one "
                    "restarts the count.",
    "one_late": "Hint: the rate went down one epoch late: lower it as soon as `patience` epochs have passed without "
                "a new low (torch's ReduceLROnPlateau waits one more, `> patience`; this exercise does not).",
    "one_early": "Hint: the rate went down one epoch early: wait for `patience` epochs without a new low.",
    "last_only": "Hint: compare with the lowest validation loss so far, not only with the previous epoch's.",
    "training_loss": "Hint: you read the training loss, history_[-1]['loss']; a plateau is judged on the "
                     "validation loss, history_[-1]['validation_loss'].",
    "fixed_value": "Hint: the second lowering: multiply the current rate by `factor` (rate *= factor), do not set "
                   "it to a fixed value.",
}
PLATEAU_CASES = [  # (patience, factor, the validation loss of each epoch)
    (3, 0.5, [1.0, 0.8, 0.85, 0.9, 0.95, 0.7, 0.75, 0.7, 0.72, 0.6, 0.61, 0.65, 0.62, 0.64, 0.66, 0.68, 0.67, 0.5]),
    (2, 0.3, [0.9, 0.91, 0.9, 0.8, 0.81, 0.85, 0.83, 0.79, 0.79, 0.8, 0.7, 0.71, 0.72]),
]


def _training_losses(n_epochs):
    """The training loss of each scripted epoch: falling, with a plateau of its own at epochs 7 to 12."""
    return [round(1.0 - 0.1 * min(epoch, 7) if epoch <= 12 else 0.3 * 0.9 ** (epoch - 12), 6)
            for epoch in range(1, n_epochs + 1)]


def _plateau_rates(losses, patience, factor, rate, mistake=None):
    """The learning rate after each epoch's hook, right or with one of PLATEAU_MISTAKES."""
    if mistake == "never":
        return [rate] * len(losses)
    if mistake == "training_loss":
        losses = _training_losses(len(losses))
    wait = patience + {"one_late": 1, "one_early": -1}.get(mistake, 0)
    start, best, previous, waited, rates = rate, np.inf, np.inf, 0, []
    for loss in losses:
        reference = previous if mistake == "last_only" else best
        improved = loss <= reference if mistake == "equal_counts" else loss < reference
        best, previous = min(best, loss), loss
        waited = 0 if improved else waited + 1
        if mistake == "every_epoch" or (waited == wait or (mistake == "no_restart" and waited > wait)):
            rate = start * factor if mistake == "fixed_value" else rate * factor
            waited = waited if mistake == "no_restart" else 0
        rates.append(rate)
    return rates


class _Model:
    """What a hook sees of a model during fit: history_, optimizer_ (what trains) and the hyperparameters."""

    def __init__(self, rate):
        from ..schedules import Cosine, Scheduled
        self.learning_rate = rate
        self.optimizer = Scheduled(Adam(rate), Cosine(100))  # the object given to the RNN: fit never trains it
        self.optimizer_ = Scheduled(Adam(rate), Cosine(100))  # the fresh copy that fit trains
        self.history_ = []


def _wrong_object(model, rate):
    """Which object the hook changed instead of model.optimizer_.learning_rate, in words (or None)."""
    if model.optimizer.learning_rate != rate or model.optimizer.optimizer.learning_rate != rate:
        return ("you changed model.optimizer, the optimizer given to the RNN. fit never trains that object: it "
                "trains a fresh copy of it, model.optimizer_. Change model.optimizer_.learning_rate.")
    if model.learning_rate != rate:
        return ("you changed model.learning_rate, a hyperparameter that fit reads once, at its start. Change "
                "model.optimizer_.learning_rate, the rate of the optimizer that trains.")
    if model.optimizer_.optimizer.learning_rate != rate:
        return ("you changed the rate of the optimizer inside model.optimizer_ (a Scheduled one), which sets it "
                "anew before every step from its base: change model.optimizer_.learning_rate, the base.")
    return None


def _scripted(make_hook, patience, factor, losses, number):
    """Feed one hook the epochs of a case; the first problem in words, or None."""
    rate, what_case = 0.01, f"case {number} (patience={patience}, factor={factor})"
    result, problem = call_safely(make_hook, [patience, factor], f"{what_case}: reduce_on_plateau(...)")
    if problem:
        return problem
    if result is None:
        return (f"{what_case}: reduce_on_plateau returns None: not attempted yet. Return a hook, a function "
                "hook(epoch, model) (or an object with __call__).")
    if not callable(result):
        return f"{what_case}: reduce_on_plateau must return a hook, a function hook(epoch, model); got {result!r}."
    model, expected = _Model(rate), _plateau_rates(losses, patience, factor, rate)
    variants = {name: _plateau_rates(losses, patience, factor, rate, name) for name in PLATEAU_MISTAKES}
    got = []
    for epoch, loss in enumerate(losses, start=1):
        model.history_.append({"epoch": epoch, "loss": _training_losses(len(losses))[epoch - 1],
                               "validation_loss": loss})
        what = f"{what_case}, epoch {epoch}"
        try:
            answer = result(epoch, model)
        except Exception as err:  # the learner's code may raise anything; report it in words
            return f"{what}: your hook raised {type(err).__name__}: {err}"
        if answer is not None and not (isinstance(answer, (bool, np.bool_)) and not answer):
            return (f"{what}: your hook returned {answer!r}. A hook returns None (or False) to go on; True "
                    "would stop training.")
        wrong = _wrong_object(model, rate)
        if wrong:
            return f"{what}: {wrong}"
        got.append(model.optimizer_.learning_rate)
    if np.allclose(got, expected, rtol=1e-12, atol=0):
        return None
    epoch = next(e for e, (a, b) in enumerate(zip(got, expected), start=1) if not np.isclose(a, b, rtol=1e-12, atol=0))
    hint = next((PLATEAU_MISTAKES[name] for name, rates in variants.items()
                 if np.allclose(got, rates, rtol=1e-12, atol=0)), "")
    shown = ", ".join(f"{v:g}" for v in losses[:epoch])
    return with_hint(f"{what_case}, epoch {epoch} (validation losses so far: {shown}): model.optimizer_.learning_rate "
                     f"is {got[epoch - 1]:g} after your hook, expected {expected[epoch - 1]:g}.", hint)


def _in_fit(make_hook, reference_hook):
    """A real fit with the learner's hook and with the reference: the same learning rates and loss curves?"""
    from ..data.memory import running_total_task
    from ..models import RNN

    train, validation = running_total_task(20, 8, seed=0), running_total_task(20, 8, seed=1)
    fits, package_log = {}, get_logger()  # set up (as fit would) before the level is lowered
    for who, make in (("yours", make_hook), ("reference", reference_hook)):
        model = RNN(hidden_size=8, epochs=12, batch_size=5, learning_rate=0.1, eval_every=1, progress=False,
                    optimizer=Adam(0.1))  # the reference lowers the rate twice, after epochs 4 and 11
        level = package_log.level
        package_log.setLevel(logging.WARNING)  # eval_every=1 would log every epoch
        try:
            fits[who] = model.fit(train, validation, after_epoch=make(2, 0.5))
        except Exception as err:  # fit refuses a hook that changes what does not train, in words
            return f"in a real fit (RNN.fit with after_epoch=your hook): {type(err).__name__}: {err}"
        finally:
            package_log.setLevel(level)
    mine, theirs = fits["yours"], fits["reference"]
    if mine.optimizer_.learning_rate != theirs.optimizer_.learning_rate or \
            mine.loss_curve_.tobytes() != theirs.loss_curve_.tobytes():
        return (f"in a real fit, the rate of model.optimizer_ ended at {mine.optimizer_.learning_rate:g}, expected "
                f"{theirs.optimizer_.learning_rate:g} (the loss curves differ from the reference's).")
    return None


def reference_plateau_hook(patience=3, factor=0.5):
    """The reference: a hook that multiplies model.optimizer_.learning_rate by ``factor`` after ``patience`` epochs
    in a row without a new (strictly) lowest validation loss, then counts again from 0."""
    best, waited = np.inf, 0

    def hook(epoch, model):
        nonlocal best, waited
        loss = model.history_[-1]["validation_loss"]
        if loss < best:
            best, waited = loss, 0
            return
        waited += 1
        if waited == patience:
            model.optimizer_.learning_rate *= factor
            waited = 0
    return hook


def check_reduce_on_plateau(reduce_on_plateau):
    """Check ``reduce_on_plateau(patience, factor) -> hook(epoch, model)`` on scripted epochs, then in a real fit."""
    if not callable(reduce_on_plateau):
        return verdict([f"reduce_on_plateau must be a function (patience, factor) -> hook; got {reduce_on_plateau!r}"],
                       "")
    for number, (patience, factor, losses) in enumerate(PLATEAU_CASES, start=1):
        problem = _scripted(reduce_on_plateau, patience, factor, losses, number)
        if problem:
            return verdict([problem], "")
    problem = _in_fit(reduce_on_plateau, reference_plateau_hook)
    return verdict([problem], "the rate of model.optimizer_ goes down exactly when it should in both scripted "
                              "cases, and a real fit with your hook repeats the reference's to the bit.")
