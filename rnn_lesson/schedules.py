"""Learning-rate schedules: a factor of the base learning rate for every step, and an optimizer that follows one.

A schedule is a function of the step number s = 0, 1, 2, ... (one per ``step``
call of the optimizer) returning a factor; the learning rate of step s is
``base * schedule(s)``:

    StepDecay(every, factor)    factor ** (s // every)                     drops by steps
    Cosine(total, floor=0)      floor + (1 - floor) (1 + cos(pi min(s, T) / T)) / 2    smooth to floor
    Warmup(steps, then=None)    (s + 1) / steps while s < steps, then ``then(s - steps)`` (or 1)

(as torch's StepLR, CosineAnnealingLR up to T (torch's then climbs back; ours stays at the floor) and
LinearLR from 1/steps, checked by benchmarks/compare_torch.py; ``Warmup(10, Cosine(990))``
warms up for 10 steps, then anneals for 990). ``Scheduled(optimizer, schedule)`` is an
optimizer (``rl.optim``) that sets the wrapped optimizer's learning rate before every step,
so it goes wherever an optimizer goes: ``rl.RNN(optimizer=Scheduled(Adam(0.01), Cosine(500)),
learning_rate=0.01)``. What each buys: a large step early (fast progress) and a small one
late (less noise around the minimum); warm-up keeps the first, badly informed steps of an
adaptive optimizer small.
"""
import math
import numbers
from copy import deepcopy

from .optim import OPTIMIZERS, Optimizer
from .shapes import check_positive_int


def _check_factor(value, name, low_open=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not (0 < value <= 1 if low_open else 0 <= value <= 1):
        raise ValueError(f"{name} must be in {'(0, 1]' if low_open else '[0, 1]'}, got {value!r}")
    return float(value)


def _check_step(step):
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
        raise ValueError(f"a schedule is called with a step number 0, 1, 2, ...; got {step!r}")
    return int(step)


class Schedule:
    """What every schedule shares: a repr from its arguments and ``spec()`` to save it as JSON."""

    def spec(self):
        """A JSON-ready dict that ``schedule_from_spec`` turns back into this schedule."""
        args = {k: (v.spec() if isinstance(v, Schedule) else v) for k, v in vars(self).items()}
        return {"name": type(self).__name__, **args}

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)


class StepDecay(Schedule):
    """Multiply the learning rate by ``factor`` every ``every`` steps: factor ** (s // every)."""

    def __init__(self, every, factor=0.5):
        self.every = check_positive_int(every, "every")
        self.factor = _check_factor(factor, "factor", low_open=True)

    def __call__(self, step):
        return self.factor ** (_check_step(step) // self.every)


class Cosine(Schedule):
    """Half a cosine from 1 down to ``floor`` over ``total_steps`` steps, then ``floor``."""

    def __init__(self, total_steps, floor=0.0):
        self.total_steps = check_positive_int(total_steps, "total_steps")
        self.floor = _check_factor(floor, "floor")

    def __call__(self, step):
        progress = min(_check_step(step), self.total_steps) / self.total_steps
        return self.floor + (1.0 - self.floor) * (1.0 + math.cos(math.pi * progress)) / 2.0


class Warmup(Schedule):
    """Grow linearly from 1/steps to 1 over ``steps`` steps; then follow ``then`` (from its step 0), or stay at 1."""

    def __init__(self, steps, then=None):
        self.steps = check_positive_int(steps, "steps")
        if then is not None and not isinstance(then, Schedule):
            raise TypeError(f"then must be a schedule (StepDecay, Cosine, Warmup) or None, got {then!r}")
        self.then = then

    def __call__(self, step):
        step = _check_step(step)
        if step < self.steps:
            return (step + 1) / self.steps
        return 1.0 if self.then is None else self.then(step - self.steps)


SCHEDULES = {cls.__name__: cls for cls in (StepDecay, Cosine, Warmup)}


def schedule_from_spec(spec):
    """The schedule a ``Schedule.spec()`` dict describes; ValueError for anything else."""
    if not isinstance(spec, dict) or spec.get("name") not in SCHEDULES:
        raise ValueError(f"unknown schedule {spec!r}; known: {', '.join(SCHEDULES)}")
    args = {k: v for k, v in spec.items() if k != "name"}
    if isinstance(args.get("then"), dict):
        args["then"] = schedule_from_spec(args["then"])
    try:
        return SCHEDULES[spec["name"]](**args)
    except TypeError as err:
        raise ValueError(f"schedule {spec!r}: {err}") from None


class Scheduled(Optimizer):
    """An optimizer whose learning rate follows a schedule: step s uses ``base * schedule(s)``.

    ``base`` is the wrapped optimizer's learning rate when it is wrapped; its
    state (moments, buffers) is the wrapped optimizer's. ``learning_rate`` is
    the base; ``current_learning_rate`` the one of the last step. Lowering
    ``learning_rate`` lowers every later step (an ``after_epoch`` hook does it on
    ``model.optimizer_``, the copy that fit trains); the wrapped optimizer's own
    ``learning_rate`` is set anew before every step, so changing it does nothing.
    """

    def __init__(self, optimizer, schedule):
        if not isinstance(optimizer, Optimizer) or hasattr(optimizer, "optimizer"):
            raise TypeError(f"optimizer must be an rl.optim optimizer (SGD, Momentum, Adagrad, Adam), got {optimizer!r}")
        if not isinstance(schedule, Schedule):
            raise TypeError(f"schedule must be a StepDecay, Cosine or Warmup, got {schedule!r}")
        self.optimizer, self.schedule = optimizer, schedule
        self.learning_rate = optimizer.learning_rate
        self.steps_taken = 0

    @property
    def state(self):
        return self.optimizer.state

    @property
    def current_learning_rate(self):
        return self.optimizer.learning_rate

    def hyperparameters(self):
        return {"optimizer": self.optimizer, "schedule": self.schedule}

    def reset(self):
        """Back to step 0 of the schedule, the wrapped optimizer without state."""
        self.optimizer.reset()
        self.optimizer.learning_rate, self.steps_taken = self.learning_rate, 0

    def step(self, params, grads, clip_norm=None):
        """The wrapped optimizer's step at the scheduled learning rate; returns the gradient norm."""
        self.optimizer.learning_rate = self.learning_rate * self.schedule(self.steps_taken)
        norm = self.optimizer.step(params, grads, clip_norm)  # a refused step is not counted
        self.steps_taken += 1
        return norm


def optimizer_spec(optimizer):
    """A JSON-ready dict describing an optimizer of this package (state left out), or None for any other.

    A ``Monitored`` optimizer is described by the one it watches (watching is not training).
    """
    from .monitor import Monitored  # monitor builds on this module

    if isinstance(optimizer, Monitored):
        return optimizer_spec(optimizer.optimizer)
    if isinstance(optimizer, Scheduled):
        inner = optimizer_spec(optimizer.optimizer)
        return None if inner is None else {**inner, "schedule": optimizer.schedule.spec()}
    names = {cls: name for name, cls in OPTIMIZERS.items()}
    if type(optimizer) not in names:
        return None
    return {"name": names[type(optimizer)], **optimizer.hyperparameters()}


def optimizer_from_spec(spec):
    """The optimizer (fresh state) an ``optimizer_spec`` dict describes; ValueError for anything else."""
    if not isinstance(spec, dict) or spec.get("name") not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {spec!r}; known: {', '.join(OPTIMIZERS)}")
    args = {k: v for k, v in spec.items() if k not in ("name", "schedule")}
    try:
        optimizer = OPTIMIZERS[spec["name"]](**args)
    except TypeError as err:
        raise ValueError(f"optimizer {spec!r}: {err}") from None
    return optimizer if "schedule" not in spec else Scheduled(optimizer, schedule_from_spec(spec["schedule"]))


def fresh_copy(optimizer):
    """A copy of ``optimizer`` as it was before its first step: same hyperparameters, no state.

    A model's ``fit`` trains with this, so the object given as a hyperparameter is
    never changed and two fits give the same numbers.
    """
    copy = deepcopy(optimizer)
    copy.reset()
    return copy
