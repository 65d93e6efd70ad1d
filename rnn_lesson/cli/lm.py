"""``lm train FILE`` and ``lm sample MODEL``: the character-level language model of lesson 13.

    python -m rnn_lesson lm train data/names.txt --cell gru --hidden 64 --epochs 3 --save names.npz
    python -m rnn_lesson lm train data/shakespeare.txt --heldout data/shakespeare_heldout.txt --max-minutes 5
    python -m rnn_lesson lm sample names.npz --length 200 --temperature 0.8 --prompt "al"

``train`` reads a UTF-8 text, holds out a part of it (``--heldout FILE``, or the
last ``--heldout-fraction`` of the file, cut at a line break), trains an
``rl.CharLM`` with a timestamped log and a progress bar, and every
``--eval-every`` epochs (and after the last) logs the held-out loss in nats
and bits per character, the perplexity, and a sample. ``sample`` prints the
prompt followed by the characters drawn. Every option, path and character is
checked before training starts (a held-out character the training text never
uses is an error then, not after an hour of training).
"""
from . import lm_sample, lm_train

SUBCOMMANDS = {"train": lm_train, "sample": lm_sample}


def add_parser(commands):
    """The ``lm`` command, with its own subcommands ``train`` and ``sample``."""
    parser = commands.add_parser(
        "lm", help="train a character-level language model on a text, or sample from a saved one",
        description="A character-level language model (lesson 13): 'lm train FILE' and 'lm sample MODEL'. "
                    "'lm COMMAND --help' lists a command's options.")
    subcommands = parser.add_subparsers(dest="lm_command", required=True, metavar="COMMAND", title="commands",
                                        help="train: fit a model on a text; sample: print text from a saved one")
    for module in SUBCOMMANDS.values():
        module.add_parser(subcommands)
    return parser


def run(args):
    """Run ``lm train`` or ``lm sample`` as ``args`` say."""
    return SUBCOMMANDS[args.lm_command].run(args)
