"""The argparse pieces every subcommand shares.

A parser that raises ``UsageError`` instead of printing its usage and exiting,
number types that say what they accept, options whose help ends with their
default, and the one-line error that ``main`` prints for every failure.
"""
import argparse
import sys

import numpy as np

from ..log import VERBOSITY


class UsageError(Exception):
    """A command-line mistake; main() prints it on one line and returns 2."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors raise UsageError (its subcommands' parsers are of this class too)."""

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


positive_int = _number(int, lambda v: v >= 1, "a whole number >= 1")
natural = _number(int, lambda v: 0 <= v < 2 ** 64, "a whole number from 0 to 2**64 - 1")
positive = _number(float, lambda v: np.isfinite(v) and v >= np.finfo(np.float64).tiny,
                   "a number > 0 (at least 2.2e-308, the smallest normal float64)")
finite = _number(float, np.isfinite, "a finite number")
fraction = _number(float, lambda v: 0 < v < 1, "a number strictly between 0 and 1")
rate = _number(float, lambda v: 0 <= v < 1, "a number from 0 up to, not including, 1")


def at_most(most):
    """An argparse type: a whole number from 1 to ``most``, the bound on the work the option causes."""
    return _number(int, lambda v: 1 <= v <= most, f"a whole number from 1 to {most:,}")


def count_at_most(most):
    """An argparse type: a whole number from 0 to ``most`` (a length that may be zero, bounded)."""
    return _number(int, lambda v: 0 <= v <= most, f"a whole number from 0 to {most:,}")


def option(group, flag, help, **kwargs):
    """``group.add_argument`` with "(default: ...)" added to ``help`` unless the default is None."""
    if kwargs.get("default") is not None:
        help += " (default: %(default)s)"
    group.add_argument(flag, help=help, **kwargs)


def add_verbosity(group):
    """The --verbosity option of every subcommand."""
    option(group, "--verbosity", "how much to log on standard error", choices=list(VERBOSITY), default="info")


def fail(prog, err, code):
    """Print ``err`` as one line ``prog: error: ...`` on stderr; returns ``code``."""
    print(f"{prog}: error: {' '.join(str(err).split())}", file=sys.stderr)
    return code
