"""``lm train FILE [options]``: train a CharLM on a text; log the held-out loss and a sample as it goes."""
import math
from pathlib import Path

from ..language import ENGINES, CharLM
from ..language.hyperparameters import DEFAULTS, MAX_LAYERS, check_all
from ..language.memory import check_training
from ..language.model import MAX_SAMPLE
from ..language.vocabulary import Vocabulary, check_text
from ..log import get_logger
from ..models.archive import npz_path
from ..optim import OPTIMIZERS
from .files import check_output_path
from .interrupt import interruptible
from .options import add_verbosity, at_most, count_at_most, fraction, natural, option, positive, positive_int, rate

BITS_PER_NAT = 1 / math.log(2)


def add_parser(commands):
    """The ``lm train`` subcommand; every option's help ends with its default."""
    parser = commands.add_parser("train", help="train a character-level language model on a UTF-8 text file",
                                 description="Train a character-level language model (rl.CharLM) on a text.")
    parser.add_argument("file", help="the training text (UTF-8)")
    model = parser.add_argument_group("model and training")
    option(model, "--cell", "the recurrent cell", choices=["lstm", "gru", "rnn"], default=DEFAULTS["cell"])
    option(model, "--hidden", "hidden units H", type=positive_int, default=DEFAULTS["hidden_size"])
    option(model, "--layers", "cells stacked, each reading the states of the one below", type=at_most(MAX_LAYERS),
           default=DEFAULTS["n_layers"])
    option(model, "--dropout", "probability of dropping each layer's output while training (never at prediction)",
           type=rate, default=DEFAULTS["dropout"])
    option(model, "--seq-len", "characters per chunk of truncated BPTT", type=positive_int,
           default=DEFAULTS["seq_len"])
    option(model, "--batch-size", "streams trained side by side", type=positive_int, default=DEFAULTS["batch_size"])
    option(model, "--lr", "learning rate", type=positive, default=DEFAULTS["learning_rate"])
    option(model, "--optimizer", "the optimizer", choices=list(OPTIMIZERS), default=DEFAULTS["optimizer"])
    option(model, "--clip-norm", "clip gradients to this global norm", type=positive, default=DEFAULTS["clip_norm"])
    option(model, "--epochs", "passes over the training text", type=positive_int, default=DEFAULTS["epochs"])
    option(model, "--max-minutes", "stop training after this many minutes (default: no limit)", type=positive)
    option(model, "--seed", "seeds the initial weights and the samples", type=natural, default=0)
    option(model, "--engine", "what computes the loss and gradients (language.engines.ENGINES): the compiled "
           "engine, or lesson 13's readable NumPy one (the same numbers to ~1e-10, slower; the only "
           "one for --layers above 1 or --dropout above 0) (default: fast for one layer without dropout, else "
           "reference)", choices=list(ENGINES))
    data = parser.add_argument_group("held-out text and reports")
    option(data, "--heldout", "a held-out text file (default: the last --heldout-fraction of FILE)", metavar="PATH")
    option(data, "--heldout-fraction", "share of FILE held out, from its end (cut at a line break)",
           type=fraction, default=0.1)
    option(data, "--eval-every", "log the held-out loss and a sample every this many epochs and after the last",
           type=positive_int, default=1)
    option(data, "--sample-length", "characters in each logged sample", type=count_at_most(MAX_SAMPLE), default=200)
    option(data, "--temperature", "temperature of the logged samples", type=positive, default=0.8)
    add_verbosity(data)
    option(data, "--save", "write the trained model to this .npz file (default: not saved)", metavar="PATH")
    return parser


def read_text(path, what):
    """The UTF-8 text of ``path``; errors name the file (``what`` says which one it is)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} {path}: no such file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{what} {path}: not UTF-8 text (byte {err.start}: {err.reason})") from None


def split_tail(text, fraction):
    """(train, heldout): ``text`` cut so the last ``fraction`` is held out, at the line break nearest that point."""
    cut = round(len(text) * (1 - fraction))
    line_break = text.rfind("\n", 0, cut)
    cut = line_break + 1 if line_break > 0 else cut
    return text[:cut], text[cut - 1 if cut > 0 else 0:]  # the held-out part starts with the character before it


def run(args):
    """Check everything, train with reports every --eval-every epochs, save; returns the model."""
    log = get_logger(__name__)
    engine = args.engine or ("fast" if args.layers == 1 and args.dropout == 0 else "reference")
    model = CharLM(cell=args.cell, hidden_size=args.hidden, n_layers=args.layers, dropout=args.dropout,
                   seq_len=args.seq_len, batch_size=args.batch_size, learning_rate=args.lr, optimizer=args.optimizer,
                   clip_norm=args.clip_norm, epochs=args.epochs, seed=args.seed, engine=engine,
                   max_seconds=None if args.max_minutes is None else 60 * args.max_minutes)
    check_all(model.get_params())
    if args.save is not None:
        check_output_path(npz_path(args.save), "--save", inputs=[args.file] + [args.heldout] * bool(args.heldout))
    text = read_text(args.file, "FILE")
    if args.heldout is None:
        train, heldout = split_tail(text, args.heldout_fraction)
        where = f"the last {len(heldout) - 1:,} characters of {args.file}"
    else:
        train, heldout, where = text, read_text(args.heldout, "--heldout"), args.heldout
    check_text(train, f"the training part of {args.file}", min_length=2)
    check_text(heldout, f"the held-out text ({where})", min_length=2)
    vocab = Vocabulary.from_text(train)
    vocab.encode(heldout, f"the held-out text ({where})")
    check_training(model, len(vocab), len(train))  # sizes that cannot fit: one line, before any training
    if len(train) - 1 < args.batch_size:
        raise ValueError(f"{args.file}: {len(train)} characters to train on, too few for --batch-size "
                         f"{args.batch_size}; give a smaller --batch-size")
    log.info(f"{len(train):,} characters to train on, {len(heldout) - 1:,} held out ({where})")

    def report(epoch, model):
        if epoch % args.eval_every and epoch != args.epochs:
            return False
        loss = model.loss(heldout)
        log.info(f"epoch {epoch}/{args.epochs}: training loss {model.loss_curve_[-1]:.4f}, held-out loss "
                 f"{loss:.4f} nats/char ({loss * BITS_PER_NAT:.3f} bits/char, perplexity {math.exp(loss):.2f})")
        if args.sample_length:
            log.info("sample: " + repr(model.sample(args.sample_length, args.temperature, seed=args.seed + epoch)))
        return False

    with interruptible(model, args.epochs, args.save):
        model.fit(train, after_epoch=report)
    if len(model.loss_curve_) < args.epochs and len(model.loss_curve_) % args.eval_every:
        report(args.epochs, model)  # --max-minutes ended training between two reports
    if args.save is not None:
        log.info(f"model saved to {model.save(args.save)}")
    return model
