"""``evaluate MODEL CSV``: the saved model's report on a CSV file's labels, beside the baseline.

    python -m rnn_lesson evaluate model.npz data/temperature.csv

The file is read and scaled as for ``predict``; the reports are those
``train`` logs for its test set, printed on standard output: for
classification the confusion matrix and its ratios at the model's threshold,
then the all-negative baseline; for regression the metrics in the labels'
original units, then the persistence baseline if the model was trained with
``--persistence``. Evaluated on a file holding exactly ``train``'s test set,
the numbers are the ones ``train`` reported.
"""
from ..log import get_logger
from . import bundle
from .files import check_binary, read_for_model, scale_like_training
from .options import add_verbosity
from .reports import baseline_reports, model_reports


def add_parser(commands):
    """The ``evaluate`` subcommand and its options."""
    parser = commands.add_parser(
        "evaluate", help="report how well a saved model does on a CSV file's labels",
        description="Print a saved model's evaluation on a CSV file in its training format, beside the "
                    "baseline that train reports (all-negative, or persistence if the model was trained with it).")
    parser.add_argument("model", help="a model written by train --save (its .meta.npz file beside it)")
    parser.add_argument("csv", help="the data, with the columns and labels the model was trained on")
    add_verbosity(parser)
    return parser


def run(args):
    """Load the model, read the file, evaluate; prints the reports and returns them (a list of text blocks)."""
    saved = bundle.load(args.model)
    meta = saved.meta
    get_logger(__name__).info(f"{saved.path}: {meta.task} of {', '.join(meta.label_names)}, trained on "
                              f"{meta.trained_on}")
    dataset = read_for_model(args.csv, meta, saved.path)
    if meta.task == "classification":
        check_binary(dataset, str(args.csv), f"{saved.path} is a classifier: evaluate it on 0/1 labels")
    part = scale_like_training(dataset, meta)
    title = f"file {args.csv}"
    blocks = [*model_reports(saved.model, part, meta.task, meta.threshold, title),
              *baseline_reports(part, meta.task, meta.threshold, title, meta.persistence)]
    print("\n\n".join(blocks))
    return blocks
