"""The names language model trained longer than lesson 13 can afford: held-out loss per epoch, per cell.

    python benchmarks/bench_names_lm.py                  # rnn, lstm and gru; a few minutes of CPU
    python benchmarks/bench_names_lm.py gru --epochs 5
    python benchmarks/bench_names_lm.py gru --hidden 64 --lr 0.01 --epochs 5 --layers 1 2 --dropout 0 0.2

Lesson 13 trains each cell for one pass (64 units) to stay under a minute;
``bench_names_ladder.py`` compares the cells best against best with count models
and window MLPs. This script trains with lesson 13's chunks (16 characters in
batches of 32, Adam) 128 units on all the names not held out (10 % of
data/names.txt, seed 0; no validation slice: it chooses nothing), for more
epochs at one learning rate, and prints
the held-out loss after every epoch with the CPU seconds it took. BLAS runs on
one thread (set before NumPy loads), as in bench_sgd.py. ``--layers`` and
``--dropout`` train every combination of the numbers given (stacked cells and
dropout on each layer's output, lessons 14-15; the reference engine).
"""
import argparse
import itertools
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cells", nargs="*", default=["rnn", "lstm", "gru"])
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--layers", type=int, nargs="+", default=[1], help="cells stacked (each number given)")
    parser.add_argument("--dropout", type=float, nargs="+", default=[0.0], help="dropout rates (each one given)")
    args = parser.parse_args()
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import rnn_lesson as rl
    from rnn_lesson.language import split_lines

    rl.setup_logging("warn")
    train, heldout = split_lines((ROOT / "data" / "names.txt").read_text(), 0.1, seed=0)
    vocab = rl.language.Vocabulary.from_text(train)
    ladder = rl.language.baseline_losses(vocab.encode(train), vocab.encode(heldout), len(vocab))
    print(f"{platform.processor() or platform.machine()}, NumPy {np.__version__}, BLAS on 1 thread, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("held-out baselines: " + ", ".join(f"{k} {v:.3f}" for k, v in ladder.items()))
    for cell, n_layers, dropout in itertools.product(args.cells, args.layers, args.dropout):
        start = time.process_time()
        model = rl.CharLM(cell=cell, hidden_size=args.hidden, n_layers=n_layers, dropout=dropout, seq_len=16,
                          batch_size=32, learning_rate=args.lr, epochs=args.epochs,
                          progress=False).fit(train, validation=heldout)
        losses = [round(h["validation_loss"], 3) for h in model.history_]
        shape = "" if (n_layers, dropout) == (1, 0.0) else f" x {n_layers} layer(s), dropout {dropout:g}"
        print(f"{cell:4s} H={args.hidden}{shape}: held-out loss by epoch {losses}, best {min(losses):.3f}; "
              f"training loss {model.loss_curve_[-1]:.3f}; {time.process_time() - start:.0f} s of CPU "
              "(validation included)")


if __name__ == "__main__":
    main()
