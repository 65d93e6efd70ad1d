"""Each lesson's run time on a quiet machine and beside one busy core: a learner's laptop is never idle.

    python benchmarks/bench_under_load.py                      # every lesson, quiet then loaded
    python benchmarks/bench_under_load.py notebooks/11_lstm.ipynb notebooks/13_*.ipynb

For each notebook it runs the lesson top to bottom in a fresh kernel (nbclient, as
``scripts/nbtool.py refresh`` does, without writing anything), first with nothing beside it, then
with a child process that spins one core for as long as the lesson runs (and at most
``--spin-seconds``). It prints the two wall times and their ratio; the goal is at most 1.5 for
every lesson. Before rnn_lesson/blas.py limited every model to one BLAS thread, lesson 11 took
347 s beside one busy core against 32 s quiet: OpenBLAS's second thread waited on the busy core
at every product. The quiet run comes first so that numba's cache is warm for both.
"""
import argparse
import multiprocessing
import os
import pathlib
import platform
import sys
import time

import nbformat
import numpy as np
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOAL = 1.5


def spin(stop, seconds):
    """Keep one core busy until ``stop`` is set or ``seconds`` have passed (bounded: never outlives the run)."""
    end = time.monotonic() + seconds
    x = 0
    while not stop.is_set() and time.monotonic() < end:
        for _ in range(100_000):
            x += 1


def run_lesson(path, timeout):
    """Execute ``path`` in a fresh kernel from its folder; return the wall seconds."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def run_beside_a_busy_core(path, timeout, spin_seconds):
    stop = multiprocessing.Event()
    spinner = multiprocessing.Process(target=spin, args=(stop, spin_seconds), daemon=True)
    spinner.start()
    try:
        return run_lesson(path, timeout)
    finally:
        stop.set()
        spinner.join(timeout=5)
        if spinner.is_alive():
            spinner.terminate()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="lessons to time (default: every notebooks/NN_*.ipynb)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds a cell may take (default 900)")
    parser.add_argument("--spin-seconds", type=int, default=900, help="the spinner's longest life (default 900)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, NumPy {np.__version__}; "
          f"load average {os.getloadavg()[0]:.1f} at the start; goal: loaded <= {GOAL} x quiet")
    print(f"{'lesson':<34}{'quiet s':>9}{'loaded s':>10}{'ratio':>7}")
    worst = 0.0
    for path in paths:
        quiet = run_lesson(path, args.timeout)
        loaded = run_beside_a_busy_core(path, args.timeout, args.spin_seconds)
        worst = max(worst, loaded / quiet)
        print(f"{path.stem:<34}{quiet:>9.1f}{loaded:>10.1f}{loaded / quiet:>7.2f}"
              f"{'' if loaded / quiet <= GOAL else '  over the goal'}", flush=True)
    print(f"worst ratio {worst:.2f} ({'MET' if worst <= GOAL else 'MISSED'}: goal <= {GOAL})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
