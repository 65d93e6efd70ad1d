"""rnn_lesson.toolkit: lesson 14's run functions (the data, the budgets, the scores, the refusals)."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson import toolkit


def test_the_sets_are_the_lessons_draws():
    train, validation, test = toolkit.running_total_sets()
    assert train[0].shape == (100, 10, 2) and validation[1].shape == (100, 10, 1) and test[0].shape == (500, 10, 2)
    np.testing.assert_array_equal(train[0], rl.data.memory.running_total_task(100, 10, seed=0)[0])
    small, check, noisy_test = toolkit.overfit_sets()
    assert small[0].shape == (10, 10, 2) and check[0].shape == (50, 10, 2) and noisy_test[0].shape == (500, 10, 2)
    noise = np.random.default_rng(6)
    clean = rl.data.memory.running_total_task(10, 10, seed=3)[1]
    np.testing.assert_array_equal(small[1], clean + 0.3 * noise.standard_normal(clean.shape))
    assert 0.07 < np.var(noisy_test[1] - rl.data.memory.running_total_task(500, 10, seed=8)[1]) < 0.11
    assert [s[0].shape for s in toolkit.clipping_sets()] == [(40, 20, 2), (100, 20, 2), (500, 20, 2)]
    assert toolkit.no_memory_mse(validation) == pytest.approx(1.453, abs=1e-3)


def test_scores_are_the_fitted_models_losses():
    model = toolkit.train_optimizer("Momentum", 1, 0.005)
    scores = toolkit.optimizer_scores("Momentum", 1, 0.005)
    assert scores["validation"] == model.history_[-1]["validation_loss"]
    assert scores["validation_at_5"] == model.history_[0]["validation_loss"] and len(model.history_) == 6
    assert isinstance(model.optimizer_, rl.Momentum) and model.seed == 1
    assert isinstance(toolkit.train_schedule("cosine", 0, 0.01).optimizer_, rl.Scheduled)
    assert toolkit.schedule_scores("constant", 0, 0.005) == toolkit.optimizer_scores("Adam", 0, 0.005)


def test_a_diverged_run_scores_inf():
    assert toolkit.optimizer_scores("SGD", 0, 5.0) == {"validation": np.inf, "test": np.inf, "validation_at_5": np.inf}
    assert toolkit.clipping_scores("ReLU", 0)["training"] == np.inf
    clipped = toolkit.train_clipped("ReLU", 0, clip_norm=5)
    assert clipped.clip_norm == 5 and clipped.activation == "relu" and len(clipped.optimizer_.norms) == 200


def test_early_stopping_restores_its_best_weights():
    model = toolkit.train_regulariser("early stopping", 0, patience=3)
    scores = toolkit.regulariser_scores("early stopping", 0, patience=3)
    assert scores["epochs"] == len(model.loss_curve_) < 80
    assert scores["validation"] == pytest.approx(model.stopper_.best_loss, rel=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: toolkit.optimizer_scores("Nesterov", 0, 0.1), "unknown optimizer 'Nesterov'; known: SGD, Momentum"),
    (lambda: toolkit.schedule_scores("linear", 0, 0.1), "unknown schedule 'linear'"),
    (lambda: toolkit.regulariser_scores("mixup", 0), "unknown regulariser 'mixup'"),
    (lambda: toolkit.regulariser_scores("dropout", 0), "'dropout' takes dropout; got {}"),
    (lambda: toolkit.regulariser_scores("none", 0, dropout=0.1), "'none' takes no setting; got {'dropout': 0.1}"),
    (lambda: toolkit.regulariser_scores("weight decay", 0, weight_decay=0.1, patience=3), "takes weight_decay"),
    (lambda: toolkit.clipping_scores("sigmoid", 0), "unknown activation 'sigmoid'; known: tanh, ReLU"),
    (lambda: toolkit.optimizer_scores("SGD", -1, 0.1), "seed"),
    (lambda: toolkit.results_path("dropout"), "unknown study 'dropout'"),
])
def test_bad_input_is_refused_in_words(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("{", r"\{").replace("}", r"\}")):
        call()
