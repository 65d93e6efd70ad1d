"""``predict MODEL CSV [--output PATH]``: the saved model's prediction at every step of a CSV file.

    python -m rnn_lesson predict model.npz data/temperature.csv --output forecast.csv

The file must have the columns the model was trained on (the course format
with the same feature and label names, in the same order, or the Kaggle
credit-card schema); the label columns must be there, but their values are
not used. It is scaled with the training set's bounds stored beside the model
(never with its own), and the output has one row per ``id,t``, sequences in
the order they first appear in the file, steps in order of t:

    regression      id,t,<label>_predicted            in the label's original units
    classification  id,t,<label>_score,<label>_predicted
                                                      the model's output, and 1 where it
                                                      is >= the model's threshold, else 0

For the credit-card schema, ``id`` is the number of a run of ``seq_len``
transactions in Time order and ``t`` the place in it, as ``train`` reads the
file; the last transactions that do not fill a run get no prediction.

Everything is checked and computed before anything is written; ``--output``
is written all or nothing, so a failed run leaves an existing file as it was.
"""
import sys

import numpy as np

from ..log import get_logger
from . import bundle
from .files import check_output_path, read_for_model, scale_like_training, write_text_atomically
from .options import add_verbosity, option


def add_parser(commands):
    """The ``predict`` subcommand and its options."""
    parser = commands.add_parser(
        "predict", help="write a saved model's predictions for a CSV file",
        description="Write a saved model's prediction for every id,t of a CSV file in its training format, "
                    "in the label's original units (classification: the score and the decision at the "
                    "model's threshold).")
    parser.add_argument("model", help="a model written by train --save (its .meta.npz file beside it)")
    parser.add_argument("csv", help="the data, with the columns the model was trained on (label values unused)")
    option(parser, "--output", "write the predictions to this CSV file, all or nothing (default: standard output)",
           metavar="PATH")
    add_verbosity(parser)
    return parser


def run(args):
    """Load the model, read and scale the file, predict, then write; returns the table of predictions."""
    if args.output is not None:
        check_output_path(args.output, "--output")
    saved = bundle.load(args.model)
    if args.output is not None:
        check_output_path(args.output, "--output", inputs=[args.csv, saved.path, bundle.meta_path(saved.path)])
    part = scale_like_training(read_for_model(args.csv, saved.meta, saved.path), saved.meta)
    table = prediction_table(saved.model, saved.meta, part)
    text = table.to_csv(index=False, lineterminator="\n")
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_text_atomically(args.output, text)
        get_logger(__name__).info(f"wrote {len(table)} predictions to {args.output}")
    return table


def prediction_table(model, meta, part):
    """A DataFrame id, t, then each label's prediction (see the module docstring), one row per step of ``part``."""
    outputs = np.concatenate(model.predict_sequences(part))  # (steps, L)
    table = part.to_frame()[["id", "t"]]
    if meta.task == "regression":
        values = part.denormalize_labels(outputs)
        for j, label in enumerate(meta.label_names):
            table[f"{label}_predicted"] = values[:, j]
    else:
        for j, label in enumerate(meta.label_names):
            table[f"{label}_score"] = outputs[:, j]
            table[f"{label}_predicted"] = (outputs[:, j] >= meta.threshold).astype(np.int64)
    return table
