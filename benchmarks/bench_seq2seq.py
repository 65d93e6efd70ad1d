"""Lesson 16's bottleneck, measured fairly: plain and attention encoder-decoders at 1x, 2x, 4x and 8x the lesson's steps.

    python benchmarks/bench_seq2seq.py              # writes data/results/seq2seq_budget.csv (about 12 CPU minutes)
    python benchmarks/bench_seq2seq.py --quick      # budgets 60 and 120, one seed: a smoke test, not written

Every run is ``rl.seq2seq.sweep.budget_scores``: ``Seq2Seq`` with H = 32, GRU cells, Adam on batches
of 64, clipping at norm 5, trained on the lesson's 4000 pairs (lengths 3-10, split seed 0). Each
model gets its own grid of four learning rates (RATES: a trial run on seed 0 put the plain model's
best at 0.01-0.02 and the attention model's at 0.04, with 0.08 diverging), the same grid at every
budget, and three seeds (weights and batch order); the table holds exact match on the 300 validation pairs (which select the rate, per
budget: ``study.best(within="steps")``) and on the 1000 test pairs, overall and per length band.
One training per (model, rate, seed) runs to the largest budget and is scored at each budget's
step (``rl.seq2seq.sweep.budget_sweep``): the same numbers as training each budget apart.
"""
import argparse
import platform
import time
from pathlib import Path

import numpy as np

from rnn_lesson.seq2seq.sweep import budget_sweep

RATES = {"plain": [0.005, 0.01, 0.02, 0.04], "attention": [0.01, 0.02, 0.04, 0.08]}
BUDGETS = (600, 1200, 2400, 4800)      # the lesson's 600 steps, and 2, 4 and 8 times as many
SEEDS = (0, 1, 2)
OUT = Path(__file__).resolve().parents[1] / "data" / "results" / "seq2seq_budget.csv"
COMMAND = "python benchmarks/bench_seq2seq.py"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="budgets 60 and 120, seed 0; nothing written")
    args = parser.parse_args()
    budgets, seeds = ((60, 120), (0,)) if args.quick else (BUDGETS, SEEDS)
    print(f"{platform.processor() or platform.machine()}, NumPy {np.__version__}; rates {RATES}, budgets {budgets}, "
          f"seeds {seeds}")
    start = time.process_time()

    def show(row):
        print(f"{row['method']:<10} {row['setting']:<34} seed {row['seed']}  validation {row['validation']:.3f}  "
              f"test {row['test']:.3f}  test 8-10 {row['test 8-10']:.3f}   {time.process_time() - start:6.0f} CPU s",
              flush=True)

    study = budget_sweep(RATES, budgets, seeds, progress=show)
    print(f"{time.process_time() - start:.0f} CPU seconds")
    best = study.best(within="steps")
    print(best[["method", "steps", "setting", "validation mean", "test mean", "test 8-10 mean", "test 8-10 std",
                "at_edge"]].to_string(index=False))
    if not args.quick:
        study.to_csv(OUT, command=COMMAND)
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
