"""Monitored optimizers, clip suggestions, early stopping, the many-to-one classifier and lesson 15's tasks."""
import numpy as np
import pytest

import rnn_lesson as rl
from rnn_lesson.data.directions import best_from_current, repeat_tags, which_first
from rnn_lesson.models import classifier


def test_monitored_records_the_norm_of_every_step_and_trains_the_same():
    X, Y = rl.data.memory.running_total_task(6, 5, seed=0)
    plain = rl.RNN(hidden_size=4, epochs=2, learning_rate=0.05, clip_norm=1.0, progress=False).fit((X, Y))
    watched = rl.RNN(hidden_size=4, epochs=2, learning_rate=0.05, clip_norm=1.0, progress=False,
                     optimizer=rl.Monitored(rl.SGD(0.05))).fit((X, Y))
    assert watched.loss_curve_.tobytes() == plain.loss_curve_.tobytes()
    assert len(watched.optimizer_.norms) == 12 and watched.optimizer.norms == []  # the given object stays fresh
    assert all(n > 0 for n in watched.optimizer_.norms)
    assert rl.schedules.optimizer_spec(watched.optimizer) == {"name": "sgd", "learning_rate": 0.05, "weight_decay": 0.0}
    with pytest.raises(TypeError):
        rl.Monitored(rl.Monitored(rl.SGD(0.1)))


def test_suggest_clip_norm():
    assert rl.suggest_clip_norm([1.0] * 9 + [100.0], quantile=0.5) == 2.0
    for bad in ([], [1.0, np.nan], [[1.0]]):
        with pytest.raises(ValueError, match="norms must be"):
            rl.suggest_clip_norm(bad)
    with pytest.raises(ValueError, match="quantile"):
        rl.suggest_clip_norm([1.0], quantile=1.0)


def test_early_stopping_stops_after_patience_and_restores_the_best_weights():
    train = rl.data.memory.running_total_task(4, 6, seed=1)
    validation = rl.data.memory.running_total_task(20, 6, seed=2)
    stopper = rl.EarlyStopping(patience=3)
    model = rl.RNN(hidden_size=24, epochs=300, learning_rate=0.02, optimizer="adam", eval_every=1,
                   progress=False).fit(train, validation, after_epoch=stopper)
    losses = [e["validation_loss"] for e in model.history_]
    assert len(model.loss_curve_) < 300 and len(losses) == stopper.best_epoch + 3
    assert stopper.best_loss == min(losses) == losses[stopper.best_epoch - 1]
    stopper.restore(model)
    assert rl.models.history.mean_loss(model, rl.models.sequences.as_sequences(validation, "v")) == stopper.best_loss
    with pytest.raises(ValueError, match="needs a validation loss every epoch"):
        rl.RNN(epochs=2, progress=False).fit(train, after_epoch=rl.EarlyStopping())
    with pytest.raises(ValueError, match="nothing to restore"):
        rl.EarlyStopping().restore(model)
    with pytest.raises(ValueError, match="patience must be at least 1"):
        rl.EarlyStopping(0)


def test_repeat_tags_and_the_best_memoryless_answer():
    X, Y = repeat_tags(3, 6, seed=0)
    symbols = X.argmax(axis=2)
    assert X.shape == (3, 6, 2) and Y.shape == (3, 6, 1) and not Y[:, -1].any()
    assert np.array_equal(Y[:, :-1, 0], symbols[:, 1:] == symbols[:, :-1])
    assert best_from_current(np.array([[[1, 0], [1, 0], [0, 1]]]), np.array([[[1], [0], [1]]])) == 2 / 3
    with pytest.raises(ValueError):
        repeat_tags(3, 1)


def test_which_first():
    sequences, labels = which_first(50, 3, 9, seed=1)
    for x, label in zip(sequences, labels):
        assert 3 <= len(x) <= 9 and x[:, 0].sum() == x[:, 1].sum() == 1 and np.all(x.sum(axis=1) == 1)
        assert label == (np.argmax(x[:, 0]) < np.argmax(x[:, 1]))
    assert 0 < labels.mean() < 1
    with pytest.raises(ValueError, match="min_length"):
        which_first(5, 1, 3)


def _task(n=60, seed=0):
    return which_first(n, 4, 12, seed=seed)


@pytest.mark.parametrize("summary", ["last", "mean"])
@pytest.mark.parametrize("bidi", [False, True])
def test_classifier_gradients_match_finite_differences(summary, bidi):
    sequences, labels = _task(3)
    model = rl.SequenceClassifier(hidden_size=3, cell="gru", n_layers=2, bidirectional=bidi, summary=summary,
                                  dropout=0.2, epochs=1).fit(sequences, labels)
    xs, lengths = rl.layers.masking.pad(sequences)
    dlogits = np.random.default_rng(0).standard_normal((3, 2))

    def logits():
        return classifier.forward(model.params_, xs, lengths, model, training=True, rng=5)[0]

    grads = classifier.backward(dlogits, classifier.forward(model.params_, xs, lengths, model, True, 5)[1], model)
    for key, array in model.params_.items():
        assert rl.relative_error(grads[key], rl.numerical_gradient(lambda _: logits(), array, dlogits)) < 1e-7, key


def test_classifier_learns_the_order_and_ignores_the_padding():
    train, test = _task(200, seed=0), _task(200, seed=1)
    model = rl.SequenceClassifier(hidden_size=8, epochs=8, batch_size=16).fit(*train)
    assert model.score(*test) > 0.9 and len(model.loss_curve_) == 8
    alone = model.predict_proba(test[0][:1])
    batched = model.predict_proba([test[0][0], np.ones((30, 4))])[:1]  # padded to 30 steps now
    np.testing.assert_allclose(alone, batched, rtol=1e-12)
    again = rl.SequenceClassifier(hidden_size=8, epochs=8, batch_size=16).fit(*train)
    assert again.loss_curve_.tobytes() == model.loss_curve_.tobytes()


def test_classifier_bad_input():
    sequences, labels = _task(10)
    for hyper, error, message in [({"summary": "max"}, ValueError, "summary must be 'last' or 'mean'"),
                                  ({"dropout": 1.0}, ValueError, "dropout"), ({"n_layers": 0}, ValueError, "n_layers"),
                                  ({"bidirectional": "yes"}, TypeError, "bidirectional"),
                                  ({"optimizer": "lbfgs"}, ValueError, "unknown optimizer"),
                                  ({"batch_size": 0}, ValueError, "batch_size")]:
        with pytest.raises(error, match=message):
            rl.SequenceClassifier(**hyper).fit(sequences, labels)
    with pytest.raises(ValueError, match=r"labels must have shape \(10,\)"):
        rl.SequenceClassifier().fit(sequences, labels[:5])
    with pytest.raises(ValueError, match="class indices"):
        rl.SequenceClassifier().fit(sequences, labels - 1)
    with pytest.raises(ValueError, match="class indices"):
        rl.SequenceClassifier().fit(sequences, labels.astype(float))
    with pytest.raises(ValueError, match="two classes"):
        rl.SequenceClassifier().fit(sequences, np.zeros(10, dtype=int))
    with pytest.raises(ValueError, match=r"sequences\[1\] has shape"):
        rl.SequenceClassifier().fit([sequences[0], sequences[1][:, :2]], labels[:2])
    with pytest.raises(ValueError, match="has its own learning rate"):
        rl.SequenceClassifier(optimizer=rl.Adam(0.001)).fit(sequences, labels)
    with pytest.raises(ValueError, match="not fitted"):
        rl.SequenceClassifier().predict(sequences)
    assert repr(rl.SequenceClassifier(summary="mean")).startswith("SequenceClassifier(hidden_size=16, cell='rnn'")


def test_monitored_learning_rate_is_the_watched_optimizers():
    inner = rl.Scheduled(rl.Adam(0.02), rl.Cosine(10))
    watched = rl.Monitored(inner)
    assert watched.learning_rate == 0.02
    watched.learning_rate = 0.01
    assert inner.learning_rate == 0.01 and watched.learning_rate == 0.01
    with pytest.raises(ValueError, match="learning_rate"):
        watched.learning_rate = -1.0
    assert watched.hyperparameters() == {"optimizer": inner}
