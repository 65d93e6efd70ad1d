"""Every engine function refuses parameters it does not fully use, instead of computing with part of a model."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import fast
from rnn_lesson.language.objective import init_params


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_fast_language_model_engine_refuses_a_two_layer_model(cell):
    params = init_params(cell, 5, 4, seed=0, n_layers=2)
    ids = np.zeros((3, 2), dtype=np.int64)
    state = tuple(np.zeros((2, 4)) for _ in range(2 if cell == "lstm" else 1))
    with pytest.raises(ValueError, match=r"\['W_hh_l1', 'W_xh_l1', 'b_h_l1'\].*engine='reference'"):
        fast.lm_loss_and_grads(cell, params, ids, ids, state)
    one_layer = {k: v for k, v in params.items() if not k.endswith("_l1")}
    loss, grads, _ = fast.lm_loss_and_grads(cell, one_layer, ids, ids, state)  # the same model, one layer: fine
    assert np.isfinite(loss) and set(grads) == set(one_layer)


def test_fast_vanilla_epochs_refuse_keys_they_do_not_train():
    params = rl.init_params(2, 3, 1, seed=0)
    params["W_xh_l1"] = np.zeros((3, 3))
    X, Y = np.zeros((4, 5, 2)), np.zeros((4, 5, 1))
    for epoch in (lambda: fast.sgd_epoch(params, X, Y, 0.1), lambda: fast.minibatch_epoch(params, X, Y, 0.1, 2)):
        with pytest.raises(ValueError, match=r"\['W_xh_l1'\] that the fast vanilla epoch"):
            epoch()
