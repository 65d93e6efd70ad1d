"""Explorer for lesson 14: SGD, Momentum, Adagrad and Adam walking down the same narrow valley.

The surface is a quadratic valley, steep across and shallow along, turned by ``angle`` degrees:

    f(w) = 0.5 (w - w*)^T A (w - w*),   A = R(angle) diag(steepness, 1) R(angle)^T,   grad f(w) = A (w - w*)

Plain SGD needs a step below 2 / steepness to be stable across the valley, and
with such a step it crawls along it; momentum builds up speed along the floor.
Adagrad and Adam rescale each *coordinate* by its own gradient history: that
undoes the valley's bad scaling when the valley lies along the axes (angle 0),
and much less when it is turned, because then no coordinate is the steep one.
``descend`` runs any ``rl.optim`` optimizer from a start and returns its path;
``optimizers_figure`` draws the four paths on the contours and their losses.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..optim import SGD, Adagrad, Adam, Momentum, Optimizer
from ..shapes import check_positive_float, check_positive_int
from ..widgets import interactive_figure

MINIMUM = np.array([1.0, 0.5])
START = np.array([-2.0, 2.5])


def valley(steepness=50.0, angle=0.0):
    """A (2, 2): the valley's curvature matrix, eigenvalues ``steepness`` (across) and 1 (along), turned by ``angle``°."""
    steepness = check_positive_float(steepness, "steepness")
    turn = np.radians(angle)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    return rotation @ np.diag([1.0, steepness]) @ rotation.T


def valley_loss(w, steepness=50.0, angle=0.0):
    """f(w) for w (2,) or a grid (..., 2)."""
    d = np.asarray(w, dtype=np.float64) - MINIMUM
    return 0.5 * np.einsum("...i,ij,...j->...", d, valley(steepness, angle), d)


def descend(optimizer, steps, steepness=50.0, angle=0.0, start=START):
    """The path (steps + 1, 2) of ``optimizer`` from ``start`` down the valley, one ``step`` per point."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an rl.optim optimizer, got {optimizer!r}")
    steps, curvature = check_positive_int(steps, "steps"), valley(steepness, angle)
    params = {"w": np.array(start, dtype=np.float64)}
    path = [params["w"].copy()]
    for _ in range(steps):
        optimizer.step(params, {"w": curvature @ (params["w"] - MINIMUM)})
        path.append(params["w"].copy())
    return np.array(path)


def optimizer_paths(sgd_rate=0.019, adaptive_rate=0.3, steps=100, steepness=100.0, angle=0.0):
    """Paths of the four optimizers: SGD and Momentum (0.9) at ``sgd_rate``, Adagrad and Adam at ``adaptive_rate``."""
    sgd_rate = check_positive_float(sgd_rate, "sgd_rate")
    adaptive_rate = check_positive_float(adaptive_rate, "adaptive_rate")
    makers = {"SGD": SGD(sgd_rate), "Momentum": Momentum(sgd_rate), "Adagrad": Adagrad(adaptive_rate),
              "Adam": Adam(adaptive_rate)}
    return {name: descend(optimizer, steps, steepness, angle) for name, optimizer in makers.items()}


def optimizers_figure(sgd_rate=0.019, adaptive_rate=0.3, steps=100, steepness=100.0, angle=0.0):
    """Left: the four paths on the valley's contours. Right: the loss after every step (log scale)."""
    paths = optimizer_paths(sgd_rate, adaptive_rate, steps, steepness, angle)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 121), np.linspace(-1.5, 3.5, 101)), axis=-1)
    left.contour(grid[..., 0], grid[..., 1], valley_loss(grid, steepness, angle), levels=np.geomspace(0.05, 200, 14),
                 colors="lightgrey", linewidths=0.8)
    colours = {"SGD": "tab:blue", "Momentum": "tab:orange", "Adagrad": "tab:purple", "Adam": "tab:green"}
    for name, path in paths.items():
        shown = np.clip(path, [-3, -1.5], [3, 3.5])  # a diverging path is drawn to the frame's edge
        left.plot(shown[:, 0], shown[:, 1], ".-", color=colours[name], ms=3, lw=1, label=name)
        right.semilogy(np.maximum(valley_loss(path, steepness, angle), 1e-12), color=colours[name], label=name)
    left.plot(*MINIMUM, "k*", ms=10)
    left.set(xlim=(-3, 3), ylim=(-1.5, 3.5), xlabel="$w_1$", ylabel="$w_2$",
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
