"""Shared fixtures: small float64 problems with fixed seeds."""
import pathlib

import numpy as np
import pytest

import rnn_lesson as rl

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture
def small_problem():
    """I=3, H=4, O=2, T=5 parameters, inputs and an upstream gradient, all seeded."""
    rng = np.random.default_rng(1234)
    params = rl.init_params(3, 4, 2, seed=7)
    params["b_h"] += 0.1 * rng.standard_normal(4)
    params["b_y"] += 0.1 * rng.standard_normal(2)
    xs = rng.standard_normal((5, 3))
    dys = rng.standard_normal((5, 2))
    return params, xs, dys
