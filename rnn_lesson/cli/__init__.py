"""The command line: train a model on a CSV file, then predict with it and evaluate it on others.

    python -m rnn_lesson train data/temperature.csv --task regression --chronological --persistence --save model
    python -m rnn_lesson predict model.npz data/temperature.csv --output forecast.csv
    python -m rnn_lesson evaluate model.npz data/temperature.csv
    python -m rnn_lesson lm train data/names.txt --save names.npz     (lesson 13's language model)
    python -m rnn_lesson lm sample names.npz --temperature 0.8
    python -m rnn_lesson train --help        (each subcommand lists its own options)

One module per subcommand, each with ``add_parser(commands)`` and ``run(args)``:

    train.py     fit and report; --save writes the model and what prediction needs
    predict.py   the saved model's prediction at every id,t of a file
    evaluate.py  the saved model's report on a file's labels, beside the baseline
    lm.py        lm train / lm sample: the character-level language model (lm_train.py, lm_sample.py)

and what they share: ``options`` (argparse pieces, the one-line error, the
ranges that bound each option's work), ``preflight`` (train's checks that
need no data: combinations of options, the schema, --save, memory),
``files`` (reading either CSV schema, checked against a model; output paths
checked first; text written all or nothing), ``bundle`` (what prediction
needs, saved beside the model), ``reports`` (the tasks and their reports).

Exit codes: 0 done, 1 training diverged, 2 bad arguments or a bad file (one
line on stderr naming the file or option at fault, no traceback), 130 interrupted by
Ctrl-C (one line saying after how many epochs; nothing is saved, ``interrupt``). Every
option and path is checked before the work starts, so a run does not fail
after training, and nothing is written when an input is bad.
"""
import contextlib
import os
import sys

from ..log import setup_logging
from ..models import TrainingDiverged
from . import evaluate, lm, predict, train
from .interrupt import EXIT_CODE as INTERRUPTED, Interrupted
from .options import Parser, UsageError, fail

COMMANDS = {"train": train, "predict": predict, "evaluate": evaluate, "lm": lm}

__all__ = ["main", "build_parser", "COMMANDS", "UsageError"]


def build_parser(prog="rnn-lesson"):
    """The argparse parser of ``main``: one subparser per command, each with its own options and --help."""
    parser = Parser(prog=prog, description="Train the course's vanilla RNN on a CSV file, then predict with "
                                           "the saved model and evaluate it on other files; 'lm' trains and samples "
                                           "a character-level language model. "
                                           f"'{prog} COMMAND --help' lists a command's options.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    for module in COMMANDS.values():
        module.add_parser(commands)
    return parser


def main(argv=None, prog="rnn-lesson"):
    """Run the command line with ``argv`` (default: sys.argv[1:]); returns the exit code.

    ``prog`` is the command's name in the usage and error lines.
    """
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
    except UsageError as err:
        return fail(parser.prog, err, 2)
    except SystemExit as done:  # --help printed its text
        return done.code or 0
    setup_logging(args.verbosity)
    try:
        COMMANDS[args.command].run(args)
    except TrainingDiverged as err:
        return fail(parser.prog, err, 1)
    except Interrupted as err:
        return fail(parser.prog, err, INTERRUPTED)
    except KeyboardInterrupt:
        return fail(parser.prog, "interrupted (Ctrl-C); nothing was written", INTERRUPTED)
    except BrokenPipeError:  # the reader of standard output stopped early (| head): not an error
        _silence_stdout()
    except (ValueError, TypeError, OSError) as err:
        return fail(parser.prog, err, 2)
    return 0


def _silence_stdout():
    """Point standard output at os.devnull, so that Python's own flush at exit finds no broken pipe."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
