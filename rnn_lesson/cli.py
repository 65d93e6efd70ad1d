"""The command line: train an RNN on a CSV file and report how well it does.

    python -m rnn_lesson train data/sample.csv --epochs 50 --eval-every 10
    python -m rnn_lesson train data/temperature.csv --task regression --chronological --persistence
    python -m rnn_lesson train data/creditcard_synthetic.csv --chronological --oversample 10 --engine fast

Steps: read the CSV (the course format ``id,t,features...,labels...``, or the
Kaggle credit-card schema ``Time,V1..V28,Amount,Class``, recognised by its
header), split the sequences into a training and a test set, min-max scale
both with the training set's bounds, train with timestamped logging, and
report on both sets every ``--eval-every`` epochs and at the end (for
regression also in the labels' original units), beside a baseline: the
all-negative classifier, or with ``--persistence`` the forecast "the next
value equals the current first feature". The test set is handed to
``RNN.fit`` as its validation set, so the periodic reports call it
"validation"; it is never trained on.

Exit codes: 0 done, 1 training diverged, 2 bad arguments or a bad file (one
line on stderr, no traceback).
"""
import argparse
import sys

import numpy as np

from .activations import ACTIVATIONS
from .baselines import all_negative, oversample_indices, persistence
from .data import Dataset, load_creditcard
from .data.creditcard import has_creditcard_header
from .evaluate import BinaryClassificationEvaluator, RegressionEvaluator
from .log import VERBOSITY, get_logger, setup_logging
from .losses import LOSSES
from .models import RNN, TrainingDiverged
from .shapes import check_binary_labels

DEFAULT_THRESHOLD = {"classification": 0.5, "regression": 0.1}


class UsageError(Exception):
    """A command-line mistake; main() prints it on one line and returns 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print the usage and exit
        raise UsageError(message)


def _number(kind, test, requirement):
    """An argparse type: parse with ``kind``, accept only values passing ``test``."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not test(value):
            raise argparse.ArgumentTypeError(f"must be {requirement}, got {text!r}")
        return value
    return parse


_positive_int = _number(int, lambda v: v >= 1, "a whole number >= 1")
_natural = _number(int, lambda v: v >= 0, "a whole number >= 0")
_positive = _number(float, lambda v: np.isfinite(v) and v > 0, "a number > 0")
_finite = _number(float, np.isfinite, "a finite number")
_fraction = _number(float, lambda v: 0 < v < 1, "a number strictly between 0 and 1")


def build_parser(prog="rnn-lesson"):
    """The argparse parser of ``main``; every option has a help text that gives its default."""
    parser = _Parser(prog=prog, description="Train the course's vanilla RNN on a CSV file and report "
                                            "on its training and test sets.")
    parser.add_argument("command", choices=["train"], help="what to do; train: fit a model and report")
    parser.add_argument("csv", help="the data: id,t,features...,labels... or the Kaggle credit-card "
                                    "schema Time,V1..V28,Amount,Class (recognised by its header)")
    model = parser.add_argument_group("model and training")
    _option(model, "--hidden", "hidden units H", type=_positive_int, default=10)
    _option(model, "--lr", "SGD learning rate", type=_positive, default=0.01)
    _option(model, "--epochs", "passes over the training set", type=_positive_int, default=100)
    _option(model, "--activation", "hidden activation", choices=sorted(ACTIVATIONS), default="tanh")
    _option(model, "--loss", "mse (mean squared error, as the Rust seed) or bce (binary cross-entropy "
            "on logits, for 0/1 labels)", choices=sorted(LOSSES), default="mse")
    _option(model, "--clip-norm", "clip gradients to this global norm (default: no clipping)", type=_positive)
    _option(model, "--seed", "seeds the split, the oversampling and the initial weights", type=_natural, default=0)
    _option(model, "--engine", "reference (readable NumPy loop) or fast (numba-compiled, same numbers; "
            "needs --loss mse, no --clip-norm, sequences of one length)", choices=["reference", "fast"],
            default="reference")
    data = parser.add_argument_group("data")
    _option(data, "--n-labels", "how many of the last columns are labels, course format",
            type=_positive_int, default=1)
    _option(data, "--seq-len", "transactions per sequence, credit-card schema", type=_positive_int, default=10)
    _option(data, "--train-ratio", "share of sequences used for training", type=_fraction, default=0.8)
    data.add_argument("--chronological", action="store_true",
                      help="split in file order (the first sequences train, the last test) instead of at "
                           "random: for time series, where a random split lets the model see the test period")
    _option(data, "--oversample", "repeat every training sequence that holds a positive label this many "
            "times (classification with rare positives; the test set is never resampled)",
            type=_positive_int, default=1)
    report = parser.add_argument_group("evaluation and output")
    _option(report, "--task", "which evaluator reports on the predictions",
            choices=sorted(DEFAULT_THRESHOLD), default="classification")
    _option(report, "--threshold", "classification: a prediction >= it is positive (default: 0.5); "
            "regression: the tolerance of within_threshold on scaled labels, a fraction of the training "
            "label range (default: 0.1)", type=_finite)
    report.add_argument("--persistence", action="store_true",
                        help="regression: also report the persistence baseline, the first feature at each step "
                             "taken as the forecast of the label (for series whose label is the next value)")
    _option(report, "--eval-every", "report every this many epochs and after the last",
            type=_positive_int, default=10)
    _option(report, "--verbosity", "how much to log", choices=list(VERBOSITY), default="info")
    _option(report, "--save", "write the trained model to this .npz file (default: not saved)", metavar="PATH")
    return parser


def _option(group, flag, help, **kwargs):
    """``group.add_argument`` with "(default: ...)" added to ``help`` unless the default is None."""
    if kwargs.get("default") is not None:
        help += " (default: %(default)s)"
    group.add_argument(flag, help=help, **kwargs)


def main(argv=None, prog="rnn-lesson"):
    """Run the command line with ``argv`` (default: sys.argv[1:]); returns the exit code.

    ``prog`` is the command's name in the usage and error lines.
    """
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
    except UsageError as err:
        return _fail(parser.prog, err, 2)
    except SystemExit as done:  # --help printed its text
        return done.code or 0
    setup_logging(args.verbosity)
    try:
        train(args)
    except TrainingDiverged as err:
        return _fail(parser.prog, err, 1)
    except (ValueError, TypeError, OSError) as err:
        return _fail(parser.prog, err, 2)
    return 0


def _fail(prog, err, code):
    print(f"{prog}: error: {' '.join(str(err).split())}", file=sys.stderr)
    return code


def train(args):
    """Load, split, scale, fit and report, as the options in ``args`` say; returns the model."""
    log = get_logger(__name__)
    dataset = load_dataset(args.csv, args.n_labels, args.seq_len)
    log.info(f"loaded {len(dataset)} sequences from {args.csv}: "
             f"{dataset.n_features} features, {dataset.n_labels} label(s) per step")
    if args.task == "classification":
        _check_binary(dataset)
    train_set, test_set = dataset.split(args.train_ratio, seed=args.seed, shuffle=not args.chronological)
    train_set.normalize()
    test_set.normalize(bounds_from=train_set)
    log.info(f"{len(train_set)} sequences for training, {len(test_set)} for testing (reported as "
             f"'validation'), split {'in file order' if args.chronological else 'at random'}; both min-max "
             "scaled with the training set's bounds")
    training = _oversampled(train_set, args.oversample, args.seed)
    threshold = DEFAULT_THRESHOLD[args.task] if args.threshold is None else args.threshold
    evaluator = (BinaryClassificationEvaluator if args.task == "classification" else RegressionEvaluator)(threshold)
    model = RNN(hidden_size=args.hidden, learning_rate=args.lr, epochs=args.epochs, activation=args.activation,
                loss=args.loss, clip_norm=args.clip_norm, eval_every=args.eval_every, evaluator=evaluator,
                seed=args.seed, engine=args.engine)
    model.fit(training, validation=test_set)
    if args.task == "regression":
        for name, part in (("train", train_set), ("test", test_set)):
            report_original_units(model, part, threshold, name)
        if args.persistence:
            if dataset.n_labels != 1:
                raise ValueError(f"--persistence forecasts one label from the first feature; {args.csv} has "
                                 f"{dataset.n_labels} labels")
            report_original_units(None, test_set, threshold, "test", forecast="persistence")
    else:
        baseline = all_negative([s.labels for s in test_set])
        log.info("all-negative baseline (every prediction 0) on the test set:\n"
                 + evaluator.report(evaluator.evaluate(baseline, [s.labels for s in test_set])))
    if args.save is not None:
        log.info(f"model saved to {model.save(args.save)}")
    return model


def _oversampled(train_set, factor, seed):
    """The training sequences, those holding a positive label repeated ``factor`` times (a list)."""
    if factor == 1:
        return train_set
    indices = oversample_indices([s.labels for s in train_set], factor, seed=seed)
    get_logger(__name__).info(f"oversampled: {len(indices)} training sequences per epoch "
                              f"({len(indices) - len(train_set)} extra copies of sequences with a positive label)")
    return [train_set.sequences[i] for i in indices]


def load_dataset(path, n_labels=1, seq_len=10):
    """A Dataset from ``path``: ``load_creditcard`` if its header is the Kaggle schema, else ``from_csv``."""
    if has_creditcard_header(path):
        get_logger(__name__).info(f"{path} has the Kaggle credit-card header: sequences of {seq_len} transactions")
        return load_creditcard(path, seq_len=seq_len)
    return Dataset.from_csv(path, n_labels=n_labels)


def _check_binary(dataset):
    """Classification needs 0/1 labels; say so before training rather than after."""
    for seq in dataset:
        try:
            check_binary_labels(seq.labels, f"--task classification: sequence {seq.id!r} labels")
        except ValueError as err:
            raise ValueError(f"{err}; use --task regression for real-valued labels") from None


def report_original_units(model, part, threshold, name, forecast="model"):
    """Log regression metrics for ``part`` in the labels' original units, one report per label.

    ``threshold`` (on scaled labels) becomes threshold * (max - min) of that label.
    forecast="persistence" reports the persistence baseline (the first feature,
    unscaled, at each step) instead of the model's predictions.
    """
    log = get_logger(__name__)
    if forecast == "persistence":
        predictions = [persistence(part.denormalize_features(s.features)) for s in part]
        name += " set, persistence baseline"
    else:
        predictions = [part.denormalize_labels(p) for p in model.predict_sequences(part)]
        name += " set"
    targets = [part.denormalize_labels(s.labels) for s in part]
    spans = part.denormalize_labels(np.ones(part.n_labels)) - part.denormalize_labels(np.zeros(part.n_labels))
    for j, label in enumerate(part.label_names):
        evaluator = RegressionEvaluator(threshold * spans[j])
        metrics = evaluator.evaluate([p[:, j] for p in predictions], [t[:, j] for t in targets])
        log.info(f"{name}, label {label!r} in original units:\n{evaluator.report(metrics)}")
