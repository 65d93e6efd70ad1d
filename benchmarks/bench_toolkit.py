"""Lesson 14's comparisons, best against best: every optimizer, schedule, remedy and clipping threshold over its own grid.

    python benchmarks/bench_toolkit.py                  # all four studies, about 3 CPU minutes
    python benchmarks/bench_toolkit.py --only clipping  # one of: optimizers, schedules, regularisers, clipping

Each study is ``rl.experiments.compare(rnn_lesson.toolkit.RUNS[study], GRIDS[study], seeds=SEEDS)``:
every method at every setting of its grid (GRIDS in rnn_lesson/toolkit.py) with five seeds of
the initial weights, each method's best setting chosen on the validation draw by the mean over
seeds, reported on a test draw apart. The tables go to data/results/toolkit_<study>.csv (same
seeds, same bytes); lesson 14 loads them and reruns one row of each live.
"""
import argparse
import platform
import time

import numpy as np

from rnn_lesson import toolkit
from rnn_lesson.experiments import compare
from rnn_lesson.log import setup_logging

COMMAND = "python benchmarks/bench_toolkit.py"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(toolkit.GRIDS), help="run one study only")
    args = parser.parse_args()
    setup_logging("warn")
    print(f"{platform.processor() or platform.machine()}, NumPy {np.__version__}; seeds {toolkit.SEEDS}")
    for study in [args.only] if args.only else toolkit.GRIDS:
        start = time.process_time()
        result = compare(toolkit.RUNS[study], toolkit.GRIDS[study], seeds=toolkit.SEEDS)
        seconds = time.process_time() - start
        path = result.to_csv(toolkit.results_path(study), command=COMMAND)
        best = result.best()
        print(f"\n{study}: {len(result.table)} runs in {seconds:.0f} CPU s -> {path}")
        for _, row in best.iterrows():
            print(f"  {row['method']:<24}{row['setting']:<22} validation {row['validation mean']:.4f} "
                  f"± {row['validation std']:.4f}   test {row['test mean']:.4f} ± {row['test std']:.4f}"
                  f"{'   (at the edge of its grid)' if row['at_edge'] else ''}", flush=True)


if __name__ == "__main__":
    main()
