"""The ladder on names, best against best: count models, window MLPs and the three cells, each over its own grid.

    python benchmarks/bench_names_ladder.py ngrams     # orders 2-5 x smoothing k x context: about 1 s of CPU
    python benchmarks/bench_names_ladder.py window     # window-3 and window-8 MLPs x 4 rates x 3 seeds x 8 epochs
    python benchmarks/bench_names_ladder.py cells      # rnn, lstm, gru x 5 rates x 3 seeds x 8 epochs

Every model is counted or trained on the training names, its settings (k, learning rate,
number of epochs) chosen on the validation slice of the training names, and it is reported
on lesson 13's held-out names (``rnn_lesson.language.ladder``: the split, the methods and
``GRIDS``). Each part writes ``data/results/names_<part>.csv`` through ``rl.experiments``
(same seed, same bytes) and prints each method's best setting, per number of epochs, and the
CPU seconds it took. A trained method is trained once per rate and seed to 8 epochs, scored
after every epoch; the row for e epochs is what a run of e epochs gives. BLAS runs on one
thread (set before NumPy loads).
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("ngrams", "window", "cells")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=PARTS)
    parser.add_argument("--output", default=None, help="the CSV to write (default data/results/names_<part>.csv)")
    args = parser.parse_args()
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    sys.path.insert(0, str(ROOT))
    import pandas as pd
    import rnn_lesson as rl
    from rnn_lesson.language import ladder

    rl.setup_logging("warn")
    runs = ladder.NamesRuns((ROOT / "data" / "names.txt").read_text(), max_epochs=max(ladder.EPOCHS))
    start = time.process_time()
    study = rl.experiments.compare(runs, ladder.GRIDS[args.part], seeds=ladder.SEEDS[args.part],
                                   progress=lambda row: print(row["method"], row["setting"], row["seed"],
                                                              f"{row['validation']:.4f}", flush=True))
    seconds = time.process_time() - start
    path = Path(args.output) if args.output else ROOT / "data" / "results" / f"names_{args.part}.csv"
    study.to_csv(path, command=f"python benchmarks/bench_names_ladder.py {args.part}")
    within = None if args.part == "ngrams" else "epochs"
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(study.best(within=within).round(4).to_string(index=False))
    print(f"wrote {path}; {seconds:.0f} s of CPU")


if __name__ == "__main__":
    main()
