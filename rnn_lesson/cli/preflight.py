"""``train``'s checks that need no data: every option, and what the CSV header says, before any work.

``check_train(args, model)`` raises ValueError (or OSError for a path)
naming the option at fault, so that ``main`` prints one line and returns 2
before the data are read: options that contradict each other or the file's
schema, an output path that cannot be written, and a model whose weights
would not fit in memory (``rnn_lesson.budget``: the sizes I and O come from
the header, so ``--hidden 1000000`` is refused in milliseconds, not after an
allocation fails). ``RNN.fit`` checks the full training memory again once
the sequences' lengths are known, still before training.
"""
from ..budget import check_bytes, training_bytes
from ..cells import get_cell
from ..data.creditcard import CREDITCARD_COLUMNS
from ..data.csvread import existing_file, read_header
from ..models.archive import npz_path
from ..models.hyperparameters import check_all
from . import bundle
from .files import check_output_path, schema_of

DEFAULT_SEQ_LEN = 10  # --seq-len's default, which the course schema ignores


def check_train(args, model):
    """Everything about a ``train`` run that can be checked without reading the data (module docstring)."""
    check_all(model.get_params())  # hyperparameters that do not go together
    _check_combinations(args)
    if args.save is not None:
        for path in (npz_path(args.save), bundle.meta_path(args.save)):
            check_output_path(path, "--save", inputs=[args.csv])
    n_inputs, n_outputs = _sizes_from_header(args)
    gates = len(get_cell(model.cell).GATES)
    check_bytes(training_bytes(n_inputs, model.hidden_size, n_outputs, gates, n_steps=0),
                f"training --hidden {model.hidden_size} (I={n_inputs}, O={n_outputs})")


def load_creditcard_sizes():
    """(I, O) of the credit-card schema: every column but Time and Class is a feature; Class is the label."""
    return len(CREDITCARD_COLUMNS) - 2, 1


def _check_combinations(args):
    """Options that only mean something with other options."""
    if args.persistence and args.task != "regression":
        raise ValueError("--persistence is the regression baseline (the first feature taken as the forecast of "
                         "the label); --task classification reports the all-negative baseline: drop --persistence "
                         "or use --task regression")
    if args.persistence and args.n_labels != 1:
        raise ValueError(f"--persistence forecasts one label from the first feature; --n-labels is {args.n_labels}")
    if args.oversample != 1 and args.task != "classification":
        raise ValueError(f"--oversample {args.oversample} repeats the training sequences that hold a positive "
                         "label: it needs --task classification and 0/1 labels")


def _sizes_from_header(args):
    """(I, O) that the CSV's header implies for ``args``; ValueError when an option contradicts the schema."""
    if schema_of(args.csv) == "creditcard":
        if args.n_labels != 1:
            raise ValueError(f"--n-labels {args.n_labels}: {args.csv} has the Kaggle credit-card header, whose "
                             "one label is Class")
        return load_creditcard_sizes()
    if args.seq_len != DEFAULT_SEQ_LEN:
        raise ValueError(f"--seq-len {args.seq_len} cuts the Kaggle credit-card schema into sequences; {args.csv} "
                         "is in the course format id,t,features...,labels..., whose sequences are its ids")
    n_columns = len(read_header(existing_file(args.csv)))
    if n_columns - 2 - args.n_labels < 1:
        raise ValueError(f"--n-labels {args.n_labels}: {args.csv} has {n_columns} columns, id, t and at most "
                         f"{max(n_columns - 3, 0)} labels after at least one feature")
    return n_columns - 2 - args.n_labels, args.n_labels
