"""Explorer for lesson 14: SGD, Momentum, Adagrad and Adam walking down the same narrow valley.

The surface is a quadratic valley, steep across and shallow along, turned by ``angle`` degrees:

    f(w) = 0.5 (w - w*)^T A (w - w*),   A = R(angle) diag(1, steepness) R(angle)^T,   grad f(w) = A (w - w*)

Plain SGD needs a step below 2 / steepness to be stable across the valley, and
with such a step it crawls along it; momentum builds up speed along the floor.
Adagrad and Adam rescale each *coordinate* by its own gradient history: that
undoes the valley's bad scaling when the valley lies along the axes (angle 0),
and much less when it is turned, because then no coordinate is the steep one.
The start turns with the valley (``start(angle)`` = w* + R(angle) (START - w*)), so the
problem seen from the valley is the same at every angle: SGD and Momentum, whose steps
are linear in the gradient, take the same path turned, to the same losses; only the
per-coordinate optimizers, Adagrad and Adam, change. ``descend`` runs any ``rl.optim``
optimizer down the valley and returns its path; ``optimizers_figure`` draws the four paths
on the contours and their losses; ``rate_sweep`` gives each optimizer's final loss at each
rate of its own grid (``VALLEY_RATES``), so that a ranking seen at one pair of rates can be
checked at each optimizer's best.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..optim import SGD, Adagrad, Adam, Momentum, Optimizer
from ..shapes import check_positive_float, check_positive_int
from ..widgets import interactive_figure

MINIMUM = np.array([1.0, 0.5])
STEEPNESS = 100.0  # the lesson's valley: a hundred times steeper across than along (every function's default)
START = np.array([-2.0, 2.5])  # the start of the valley along the axes (angle 0)
VALLEY_RATES = {"SGD": (0.003, 0.01, 0.015, 0.019, 0.021), "Momentum": (0.001, 0.003, 0.01, 0.015, 0.019, 0.03),
                "Adagrad": (0.03, 0.1, 0.3, 1.0, 3.0, 10.0), "Adam": (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)}
MAKERS = {"SGD": SGD, "Momentum": Momentum, "Adagrad": Adagrad, "Adam": Adam}  # Momentum: mu = 0.9
FRAME = 4.0  # the contour plot shows w* ± FRAME: every turned start (|START - w*| = 3.6) lies inside


def rotation(angle):
    """R (2, 2): a turn by ``angle`` degrees, counter-clockwise."""
    if isinstance(angle, bool) or not isinstance(angle, (int, float, np.integer, np.floating)) or not np.isfinite(angle):
        raise ValueError(f"angle must be a finite number of degrees, got {angle!r}")
    turn = np.radians(angle)
    return np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])


def valley(steepness=STEEPNESS, angle=0.0):
    """A (2, 2): the valley's curvature matrix, eigenvalues ``steepness`` (across) and 1 (along), turned by ``angle``°."""
    steepness = check_positive_float(steepness, "steepness")
    turn = rotation(angle)
    return turn @ np.diag([1.0, steepness]) @ turn.T


def start(angle=0.0):
    """w (2,): START turned with the valley about its minimum, w* + R(angle) (START - w*)."""
    return MINIMUM + rotation(angle) @ (START - MINIMUM)


def valley_loss(w, steepness=STEEPNESS, angle=0.0):
    """f(w) for w (2,) or a grid (..., 2)."""
    d = np.asarray(w, dtype=np.float64) - MINIMUM
    return 0.5 * np.einsum("...i,ij,...j->...", d, valley(steepness, angle), d)


def descend(optimizer, steps, steepness=STEEPNESS, angle=0.0, start_at=None):
    """The path (steps + 1, 2) of ``optimizer`` down the valley, one ``step`` per point.

    ``start_at``: w (2,) to start from; None starts at ``start(angle)``, turned with the valley.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an rl.optim optimizer, got {optimizer!r}")
    steps, curvature = check_positive_int(steps, "steps"), valley(steepness, angle)
    first = start(angle) if start_at is None else np.array(start_at, dtype=np.float64)
    if first.shape != (2,) or not np.all(np.isfinite(first)):
        raise ValueError(f"start_at must be two finite numbers (w_1, w_2), got {start_at!r}")
    params = {"w": first}
    path = [params["w"].copy()]
    for _ in range(steps):
        optimizer.step(params, {"w": curvature @ (params["w"] - MINIMUM)})
        path.append(params["w"].copy())
    return np.array(path)


def optimizer_paths(sgd_rate=0.019, adaptive_rate=0.3, steps=100, steepness=STEEPNESS, angle=0.0):
    """Paths of the four optimizers from ``start(angle)``: SGD and Momentum (0.9) at ``sgd_rate``, Adagrad and
    Adam at ``adaptive_rate``."""
    sgd_rate = check_positive_float(sgd_rate, "sgd_rate")
    adaptive_rate = check_positive_float(adaptive_rate, "adaptive_rate")
    rates = {"SGD": sgd_rate, "Momentum": sgd_rate, "Adagrad": adaptive_rate, "Adam": adaptive_rate}
    return {name: descend(MAKERS[name](rate), steps, steepness, angle) for name, rate in rates.items()}


def rate_sweep(angle=0.0, steps=100, steepness=STEEPNESS, rates=None):
    """{optimizer: {rate: f(w) after ``steps`` steps}} over each optimizer's own grid (default VALLEY_RATES).

    A rate at which the path leaves float64's range scores inf.
    """
    rates = VALLEY_RATES if rates is None else rates
    if not isinstance(rates, dict) or not rates or not set(rates) <= set(MAKERS):
        raise ValueError(f"rates must map some of {list(MAKERS)} to lists of learning rates, got {rates!r}")
    sweep = {}
    for name, grid in rates.items():
        sweep[name] = {}
        for rate in grid:
            try:
                with np.errstate(over="ignore", invalid="ignore"):
                    loss = float(valley_loss(descend(MAKERS[name](rate), steps, steepness, angle)[-1], steepness,
                                             angle))
            except FloatingPointError:  # the optimizer refused a step that overflowed float64
                loss = np.inf
            sweep[name][float(rate)] = loss if np.isfinite(loss) else np.inf
    return sweep


def optimizers_figure(sgd_rate=0.019, adaptive_rate=0.3, steps=100, steepness=STEEPNESS, angle=0.0):
    """Left: the four paths on the valley's contours. Right: the loss after every step (log scale)."""
    paths = optimizer_paths(sgd_rate, adaptive_rate, steps, steepness, angle)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    low, high = MINIMUM - FRAME, MINIMUM + FRAME
    grid = np.stack(np.meshgrid(np.linspace(low[0], high[0], 121), np.linspace(low[1], high[1], 121)), axis=-1)
    left.contour(grid[..., 0], grid[..., 1], valley_loss(grid, steepness, angle), levels=np.geomspace(0.05, 200, 14),
                 colors="lightgrey", linewidths=0.8)
    colours = {"SGD": "tab:blue", "Momentum": "tab:orange", "Adagrad": "tab:purple", "Adam": "tab:green"}
    for name, path in paths.items():
        shown = np.clip(path, low, high)  # a diverging path is drawn to the frame's edge
        left.plot(shown[:, 0], shown[:, 1], ".-", color=colours[name], ms=3, lw=1, label=name)
        right.semilogy(np.maximum(valley_loss(path, steepness, angle), 1e-12), color=colours[name], label=name)
    left.plot(*MINIMUM, "k*", ms=10)
    left.plot(*start(angle), "ko", ms=5, mfc="none")
    left.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), aspect="equal", xlabel="$w_1$", ylabel="$w_2$",
             title=f"{steps} steps: SGD, Momentum at {sgd_rate:g}; Adagrad, Adam at {adaptive_rate:g}")
    left.legend(fontsize=8, loc="lower right")
    right.set(xlabel="step", ylabel="loss f(w)", title=f"loss; valley turned {angle:g}°, steepness {steepness:g} "
                                                        f"(SGD stable below {2 / steepness:.3g})")
    fig.tight_layout()
    return fig


def optimizers_explorer():
    """Sliders for the two learning rates, the number of steps and the steepness, redrawing the figure."""
    def slider(value, low, high, step, description):
        return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                                   continuous_update=False)
    controls = {"sgd_rate": slider(0.019, 0.001, 0.03, 0.001, "SGD / Momentum rate"),
                "adaptive_rate": slider(0.3, 0.02, 1.0, 0.02, "Adagrad / Adam rate"),
                "steps": widgets.IntSlider(value=100, min=5, max=300, step=5, description="steps",
                                           continuous_update=False),
                "steepness": slider(100.0, 1.0, 200.0, 1.0, "steepness"),
                "angle": slider(0.0, 0.0, 90.0, 5.0, "valley turned by (°)")}
    return interactive_figure(optimizers_figure, controls)
