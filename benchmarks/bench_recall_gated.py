"""Each start of each cell at its own best learning rate on the recall task of lessons 11 and 12.

    python benchmarks/bench_recall_gated.py            # writes data/results/recall_gated.csv, ~14 CPU minutes
    python benchmarks/bench_recall_gated.py --quick    # lag 10 only, seeds 0 and 1, to /tmp (a smoke test)

Five starts: the vanilla tanh cell, the LSTM with its usual forget bias 1 and with chrono forget
biases, the GRU with its usual update bias 0 and with chrono. Each is trained at every learning
rate of its grid (five or six rates a factor 2 to 4 apart, wide enough that no start's best rate at any
lag is at the grid's edge: 0.03 to 8; 0.125 to 8 for the LSTM with chrono; 0.125 to 16 for the
GRU, which learns fastest at high rates), at lags 10, 20, 40 and 80 (the LSTM with forget bias 1 not at 80: at 40 no rate lifts it
far from chance), with seeds 0, 1, 2, by ``rnn_lesson.recall.recall_scores``: the
lessons' budget (1000 training sequences, at most 24 epochs of plain SGD on batches of 32,
gradients clipped to norm 1, H = 16), stopped at the first epoch whose validation accuracy
reaches 0.95. Validation accuracy (500 sequences, seed + 1000) selects; test accuracy (500 other
sequences, seed + 2000) reports. The lessons read the table with
``Comparison.from_csv(...).best(within="lag")`` and rerun one row live.
"""
import argparse
import time

from rnn_lesson.experiments import compare
from rnn_lesson.recall import recall_scores

LOW, HIGH = [0.03, 0.125, 0.5, 2.0, 4.0, 8.0], [0.125, 0.5, 2.0, 4.0, 8.0, 16.0]
LAGS = [10, 20, 40, 80]
SEEDS = (0, 1, 2)
STARTS = {  # method -> the cell and its start (forget_bias None: the cell's usual bias), lags and rates
    "RNN": {"cell": ["rnn"], "lag": LAGS, "learning_rate": LOW},
    "LSTM, forget bias 1": {"cell": ["lstm"], "forget_bias": [None], "lag": LAGS[:3], "learning_rate": LOW},
    "LSTM, chrono": {"cell": ["lstm"], "forget_bias": ["chrono"], "lag": LAGS, "learning_rate": LOW[1:]},
    "GRU, update bias 0": {"cell": ["gru"], "forget_bias": [None], "lag": LAGS, "learning_rate": HIGH},
    "GRU, chrono": {"cell": ["gru"], "forget_bias": ["chrono"], "lag": LAGS, "learning_rate": HIGH},
}
COMMAND = "python benchmarks/bench_recall_gated.py"


def grids(quick=False):
    """Every start's grid: cell and bias fixed, lag and learning rate swept (quick: lag 10 only)."""
    return {method: {**start, "lag": [lag for lag in start["lag"] if lag == 10 or not quick]}
            for method, start in STARTS.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="lag 10 only, seeds 0 and 1, written to /tmp")
    parser.add_argument("--out", default=None, help="where to write the table (default data/results/recall_gated.csv)")
    args = parser.parse_args()
    seeds = (0, 1) if args.quick else SEEDS
    out = args.out or ("/tmp/recall_gated_quick.csv" if args.quick else "data/results/recall_gated.csv")
    start = time.process_time()

    def progress(row):
        print(f"{row['method']:<22}{row['setting']:<34} seed {row['seed']}: validation {row['validation']:.3f} "
              f"test {row['test']:.3f} epochs {row['epochs']:>4.0f}   {time.process_time() - start:7.1f} CPU s",
              flush=True)

    study = compare(recall_scores, grids(args.quick), seeds=seeds, select="validation", goal="max",
                    progress=progress)
    study.to_csv(out, command=COMMAND + (" --quick" if args.quick else ""))
    best = study.best(within="lag")
    print(best[["method", "lag", "setting", "validation mean", "test mean", "test std", "solved mean",
                "at_edge"]].to_string(index=False))
    print(f"wrote {out}: {len(study.table)} runs in {time.process_time() - start:.0f} CPU s")


if __name__ == "__main__":
    main()
