"""``train CSV [options]``: train an RNN on a CSV file and report how well it does.

    python -m rnn_lesson train data/sample.csv --epochs 50 --eval-every 10
    python -m rnn_lesson train data/temperature.csv --task regression --chronological --persistence --save model
    python -m rnn_lesson train data/creditcard_synthetic.csv --chronological --oversample 10

Steps: check the options and the --save path, read the CSV (the course format
``id,t,features...,labels...``, or the Kaggle credit-card schema
``Time,V1..V28,Amount,Class``, recognised by its header), split the sequences
into a training and a test set, min-max scale both with the training set's
bounds, choose the engine, train with timestamped logging, and report on both
sets every ``--eval-every`` epochs and at the end (for regression also in the
labels' original units), beside a baseline: the all-negative classifier, or
with ``--persistence`` the forecast "the next value equals the current first
feature". The test set is handed to ``RNN.fit`` as its validation set, so the
periodic reports call it "validation"; it is never trained on. ``--save``
writes the model and, beside it, what ``predict`` and ``evaluate`` need
(``bundle``).

``--engine auto`` (the default) trains with the fast engine wherever it
supports the options (``models.hyperparameters.ENGINES``) and the sequences
have one length, for the same numbers sooner; otherwise with the reference
loop. The log says which ran, and why.
"""
from ..activations import ACTIVATIONS
from ..baselines import MAX_OVERSAMPLE, oversample_indices
from ..log import get_logger
from ..models import RNN
from ..models.hyperparameters import ENGINES, MAX_EPOCHS
from . import bundle
from .files import check_binary, load_dataset, schema_of
from .interrupt import interruptible
from .options import add_verbosity, at_most, finite, fraction, natural, option, positive
from .preflight import check_train
from .reports import DEFAULT_THRESHOLD, baseline_reports, evaluator_for, model_reports, tolerances


def add_parser(commands):
    """The ``train`` subcommand and its options; every option's help gives its default."""
    parser = commands.add_parser(
        "train", help="fit a model on a CSV file and report on its training and test sets",
        description="Train the course's vanilla RNN on a CSV file and report on its training and test sets.")
    parser.add_argument("csv", help="the data: id,t,features...,labels... or the Kaggle credit-card schema "
                                    "Time,V1..V28,Amount,Class (recognised by its header)")
    model = parser.add_argument_group("model and training")
    option(model, "--hidden", "hidden units H (at most what fits in memory: rnn_lesson.budget)",
           type=at_most(1 << 20), default=10)
    option(model, "--lr", "SGD learning rate", type=positive, default=0.01)
    option(model, "--epochs", "passes over the training set", type=at_most(MAX_EPOCHS), default=100)
    option(model, "--activation", "hidden activation", choices=sorted(ACTIVATIONS), default="tanh")
    option(model, "--loss", "mse (mean squared error, as the Rust seed) or bce (binary cross-entropy "
           "on logits, for 0/1 labels)", choices=["bce", "mse"], default="mse")
    option(model, "--clip-norm", "clip gradients to this global norm (default: no clipping)", type=positive)
    option(model, "--seed", "seeds the split, the oversampling and the initial weights", type=natural, default=0)
    option(model, "--engine", "reference (readable NumPy loop), fast (numba-compiled, same numbers; needs "
           "--loss mse, sequences of one length) or auto (fast where it can, else reference)",
           choices=["auto", *ENGINES], default="auto")
    data = parser.add_argument_group("data")
    option(data, "--n-labels", "how many of the last columns are labels, course format",
           type=at_most(1000), default=1)
    option(data, "--seq-len", "transactions per sequence, credit-card schema", type=at_most(1_000_000), default=10)
    option(data, "--train-ratio", "share of sequences used for training", type=fraction, default=0.8)
    data.add_argument("--chronological", action="store_true",
                      help="split in file order (the first sequences train, the last test) instead of at "
                           "random: for time series, where a random split lets the model see the test period")
    option(data, "--oversample", "repeat every training sequence that holds a positive label this many "
           "times (classification with rare positives; the test set is never resampled)",
           type=at_most(MAX_OVERSAMPLE), default=1)
    report = parser.add_argument_group("evaluation and output")
    option(report, "--task", "which evaluator reports on the predictions",
           choices=sorted(DEFAULT_THRESHOLD), default="classification")
    option(report, "--threshold", "classification: a prediction >= it is positive (default: 0.5); "
           "regression: the tolerance of within_threshold on scaled labels, a fraction of the training "
           "label range (default: 0.1)", type=finite)
    report.add_argument("--persistence", action="store_true",
                        help="regression: also report the persistence baseline, the first feature at each step "
                             "taken as the forecast of the label (for series whose label is the next value)")
    option(report, "--eval-every", "report every this many epochs and after the last",
           type=at_most(MAX_EPOCHS), default=10)
    add_verbosity(report)
    option(report, "--save", "write the trained model to this .npz file, and what predict and evaluate need "
           "beside it (NAME.meta.npz) (default: not saved)", metavar="PATH")
    return parser


def run(args):
    """Check, load, split, scale, fit, report and save, as the options in ``args`` say; returns the model."""
    log = get_logger(__name__)
    evaluator = evaluator_for(args.task, args.threshold)
    model = RNN(hidden_size=args.hidden, learning_rate=args.lr, epochs=args.epochs, activation=args.activation,
                loss=args.loss, clip_norm=args.clip_norm, eval_every=args.eval_every, evaluator=evaluator,
                seed=args.seed, engine="reference" if args.engine == "auto" else args.engine)
    check_train(args, model)  # options that do not go together, paths, memory: before any work
    dataset, train_set, test_set = _load_and_split(args)
    if args.task == "regression":
        tolerances(train_set, evaluator.threshold)  # a tolerance that overflows fails now, not after training
    training = _oversampled(train_set, args.oversample, args.seed)
    model.engine, why = choose_engine(args.engine, model.get_params(), training)
    log.info(f"engine: {model.engine} ({why})")
    with interruptible(model, args.epochs, args.save):
        model.fit(training, validation=test_set)
    blocks = baseline_reports(test_set, args.task, evaluator.threshold, "test set", args.persistence)
    if args.task == "regression":
        blocks = [*model_reports(model, train_set, args.task, evaluator.threshold, "train set"),
                  *model_reports(model, test_set, args.task, evaluator.threshold, "test set"), *blocks]
    for block in blocks:
        log.info(block)
    if args.save is not None:
        schema = schema_of(args.csv)
        meta = bundle.Meta(task=args.task, threshold=evaluator.threshold, schema=schema,
                           seq_len=args.seq_len if schema == "creditcard" else None,
                           feature_names=dataset.feature_names, label_names=dataset.label_names,
                           persistence=args.persistence, trained_on=str(args.csv),
                           feature_bounds=train_set.feature_bounds, label_bounds=train_set.label_bounds)
        path = bundle.save(model, args.save, meta)
        log.info(f"model saved to {path}, what predict and evaluate need to {bundle.meta_path(path)}")
    return model


def _load_and_split(args):
    """(dataset, train_set, test_set): the CSV read and checked, split, both parts scaled with the training bounds."""
    log = get_logger(__name__)
    dataset = load_dataset(args.csv, args.n_labels, args.seq_len)
    log.info(f"loaded {len(dataset)} sequences from {args.csv}: "
             f"{dataset.n_features} features, {dataset.n_labels} label(s) per step")
    if args.task == "classification":
        check_binary(dataset, "--task classification", "use --task regression for real-valued labels")
    train_set, test_set = dataset.split(args.train_ratio, seed=args.seed, shuffle=not args.chronological)
    train_set.normalize()
    test_set.normalize(bounds_from=train_set)
    log.info(f"{len(train_set)} sequences for training, {len(test_set)} for testing (reported as "
             f"'validation'), split {'in file order' if args.chronological else 'at random'}; both min-max "
             "scaled with the training set's bounds")
    return dataset, train_set, test_set


def choose_engine(requested, hyperparameters, training):
    """(engine, why): ``requested`` itself, or for "auto" the fast engine where it supports
    ``hyperparameters`` (``ENGINES["fast"]``) and the ``training`` sequences have one length."""
    if requested != "auto":
        return requested, "--engine " + requested
    unsupported = [f"--{name.replace('_', '-')} {hyperparameters[name]}" for name, allowed in ENGINES["fast"].items()
                   if hyperparameters[name] not in allowed]
    lengths = sorted({len(s) for s in training})
    if len(lengths) > 1:
        unsupported.append(f"sequences of different lengths ({lengths[0]} to {lengths[-1]} steps)")
    if unsupported:
        return "reference", f"--engine auto: the fast engine does not support {', '.join(unsupported)}"
    return "fast", "--engine auto: numba-compiled, the same numbers as the reference loop"


def _oversampled(train_set, factor, seed):
    """The training sequences, those holding a positive label repeated ``factor`` times (a list)."""
    if factor == 1:
        return train_set
    indices = oversample_indices([s.labels for s in train_set], factor, seed=seed)
    get_logger(__name__).info(f"oversampled: {len(indices)} training sequences per epoch "
                              f"({len(indices) - len(train_set)} extra copies of sequences with a positive label)")
    return [train_set.sequences[i] for i in indices]
