"""Lesson 10's comparisons on the recall task, best against best: the tables the lesson loads.

    python benchmarks/bench_recall_vanilla.py            # both tables, about 3 CPU minutes
    python benchmarks/bench_recall_vanilla.py --quick    # a smoke run into /tmp (two rates, one seed)

Two studies through ``rl.experiments.compare``, every run ``rl.recall.recall_scores`` (the
lessons' budget: 1000 training sequences, up to 24 epochs of SGD on batches of 32, clipped to
norm 1, 16 hidden units; stopped at the first epoch whose validation accuracy reaches
rl.recall.SOLVED), three seeds, each setting's score the mean over seeds on the validation set,
reported on a test set drawn apart:

    data/results/recall_vanilla_lags.csv     the vanilla tanh cell over LAG_RATES at lags 5, 10, 20, 40
                                             (read with best(within="lag"): the best rate per lag)
    data/results/recall_vanilla_starts.csv   lag 40: the default tanh start, the orthogonal tanh start and
                                             the identity start with ReLU (the IRNN), each over its own rates

Same seeds, same bytes: the runs use one BLAS thread.
"""
import argparse
import time
from pathlib import Path

from rnn_lesson.experiments import compare
from rnn_lesson.recall import recall_scores

ROOT = Path(__file__).resolve().parents[1]
LAGS = (5, 10, 20, 40)
SEEDS = (0, 1, 2)
LAG_RATES = [0.008, 0.03, 0.125, 0.5, 2.0, 8.0]       # factors of 4 around the course's 0.5
TANH_RATES = LAG_RATES
IRNN_RATES = [0.0025, 0.005, 0.01, 0.02, 0.04, 0.08]  # a ReLU state has no ceiling: small steps
STARTS_LAG = 40


def lag_grid(rates):
    """The vanilla tanh cell at every lag and rate (one method; read per lag)."""
    return {"tanh": {"cell": ["rnn"], "lag": list(LAGS), "learning_rate": rates}}


def start_grids(tanh_rates, irnn_rates):
    """Three starts of the vanilla cell at lag 40, each over its own learning rates."""
    return {
        "tanh, default start": {"cell": ["rnn"], "lag": [STARTS_LAG], "learning_rate": tanh_rates},
        "tanh, orthogonal start": {"cell": ["rnn"], "lag": [STARTS_LAG], "recurrent_init": ["orthogonal"],
                                   "learning_rate": tanh_rates},
        "relu, identity start": {"cell": ["rnn"], "lag": [STARTS_LAG], "recurrent_init": ["identity"],
                                 "activation": ["relu"], "learning_rate": irnn_rates},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two rates, seed 0, tables written to /tmp")
    args = parser.parse_args()
    if args.quick:
        out, seeds = Path("/tmp"), (0,)
        lags, starts = lag_grid([0.125, 0.5]), start_grids([0.125, 0.5], [0.01, 0.02])
    else:
        out, seeds = ROOT / "data" / "results", SEEDS
        lags, starts = lag_grid(LAG_RATES), start_grids(TANH_RATES, IRNN_RATES)
    command = "python benchmarks/bench_recall_vanilla.py" + (" --quick" if args.quick else "")

    def show(row):
        print(f"{row['method']:<24}{row['setting']:<48} seed {row['seed']}  validation {row['validation']:.3f}"
              f"  test {row['test']:.3f}  epochs {row['epochs']:.0f}", flush=True)

    for name, grids in (("recall_vanilla_lags", lags), ("recall_vanilla_starts", starts)):
        start = time.process_time()
        study = compare(recall_scores, grids, seeds=seeds, select="validation", goal="max", progress=show)
        path = study.to_csv(out / f"{name}.csv", command=command)
        print(f"{path}: {len(study.table)} runs, {time.process_time() - start:.0f} CPU s")
        best = study.best(within="lag") if name.endswith("lags") else study.best()
        print(best.to_string(index=False), "\n")


if __name__ == "__main__":
    main()
