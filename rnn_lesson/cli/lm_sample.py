"""``lm sample MODEL [--length N] [--temperature T] [--prompt TEXT] [--top-k K] [--seed S]``: print generated text."""
import sys

from ..language import CharLM
from ..language.model import MAX_SAMPLE
from .options import add_verbosity, count_at_most, natural, option, positive, positive_int


def add_parser(commands):
    """The ``lm sample`` subcommand."""
    parser = commands.add_parser("sample", help="print text drawn from a saved language model",
                                 description="Print the prompt, then characters drawn one at a time from a "
                                             "language model saved by 'lm train --save'.")
    parser.add_argument("model", help="the .npz file written by 'lm train --save'")
    option(parser, "--length", f"characters to draw (at most {MAX_SAMPLE:,})", type=count_at_most(MAX_SAMPLE), default=200)
    option(parser, "--temperature", "below 1: safer, more repetitive; above 1: more surprising",
           type=positive, default=1.0)
    option(parser, "--prompt", "text the model reads first (every character must be in its vocabulary)", default="")
    option(parser, "--top-k", "draw only among the k most likely characters (default: all)", type=positive_int)
    option(parser, "--seed", "the same seed draws the same text", type=natural, default=0)
    add_verbosity(parser)
    return parser


def run(args):
    """Load, check the settings against the model, draw, print."""
    model = CharLM.load(args.model)
    text = model.sample(args.length, temperature=args.temperature, prompt=args.prompt, top_k=args.top_k,
                        seed=args.seed)
    sys.stdout.write(args.prompt + text + ("" if text.endswith("\n") else "\n"))
    return text
