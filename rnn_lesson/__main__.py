"""``python -m rnn_lesson ...`` runs the command line (see ``rnn_lesson.cli``)."""
import sys

from .cli import main

sys.exit(main(prog="python -m rnn_lesson"))
