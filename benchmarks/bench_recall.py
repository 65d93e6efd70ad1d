"""How far back each cell learns the recall task of lessons 10-12, over seeds: the figures the lessons cite.

    python benchmarks/bench_recall.py            # about 5 CPU minutes
    python benchmarks/bench_recall.py --quick    # lags 10 and 40, seeds 0 and 1

Every run is ``rl.recall.train_on_recall`` (the lessons' budget: 1000 training
sequences, 24 epochs of SGD on batches of 32, clipped to norm 1, 16 hidden units,
500 validation sequences), stopped at the first epoch whose validation accuracy
reaches rl.recall.SOLVED. For each cell and start, and each lag, it prints the
final accuracy and the epoch solved for every seed, and the share of seeds solved.
"""
import argparse
import platform

import numpy as np

from rnn_lesson.recall import SOLVED, chance, train_on_recall

STARTS = [  # (cell, forget_bias): each cell's default start, and the gated cells with chrono
    ("rnn", None), ("lstm", None), ("gru", None), ("lstm", "chrono"), ("gru", "chrono"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="lags 10 and 40, seeds 0 and 1 only")
    args = parser.parse_args()
    lags, seeds = ((10, 40), (0, 1)) if args.quick else ((10, 20, 40, 80), (0, 1, 2))
    print(f"{platform.processor() or platform.machine()}, NumPy {np.__version__}; solved at {SOLVED}; chance "
          + ", ".join(f"{chance(lag):.3f} at lag {lag}" for lag in lags))
    print(f"{'cell':<6}{'start':<9}{'lag':>4}   final accuracy (epoch solved) per seed   solved   CPU s")
    for cell, forget_bias in STARTS:
        for lag in lags:
            runs = [train_on_recall(cell, lag, seed=seed, forget_bias=forget_bias, stop_when_solved=True)
                    for seed in seeds]
            cells = "  ".join(f"{r.final_accuracy:.2f} ({r.epochs_to_solve() or '-':>2})" for r in runs)
            start = "default" if forget_bias is None else forget_bias
            print(f"{cell:<6}{start:<9}{lag:>4}   {cells:<40} {sum(r.solved for r in runs)}/{len(runs)}"
                  f"   {sum(r.seconds for r in runs):6.1f}", flush=True)


if __name__ == "__main__":
    main()
