"""Lesson 15's comparisons, best against best: depth and dropout, one way against both ways, two summaries.

    python benchmarks/bench_depth.py                       # all four tables, about 7 CPU minutes
    python benchmarks/bench_depth.py switch names          # only these

Each study is ``rl.experiments.compare`` over a ``run`` of ``rnn_lesson.depth``: every
method over its own grid of learning rates (Adam), three seeds, the best setting chosen
on validation data by the mean over seeds, reported on test data drawn apart. Each
writes data/results/depth_<study>.csv (same seeds, same bytes):

    switch       data.directions.xor_switch: GRU stacks of 1, 2 and 3 layers of about 400
                 parameters (and one layer with twice the parameters, or three times the
                 epochs: about the CPU time of three layers), dropout 0.1 and 0.3 between two layers
    names        a GRU CharLM on 2,000 names, 1 layer of 64 units against 2 of 40 (about
                 19,000 parameters each), dropout 0.1 and 0.3 between the two; the epoch
                 chosen on validation (early stopping), the last epoch's loss kept too
    directions   repeat_tags: one way (RNN, 2 stacked RNNs, GRU) against both ways (RNN, GRU)
    summaries    which_first: the last real state, the mean state, both ways with the last state
"""
import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_lesson import depth, experiments  # noqa: E402

SEEDS = (0, 1, 2)
RATES = [0.003, 0.01, 0.03, 0.1]
TAG_RATES = [0.001, *RATES]


def _stack(n_layers, hidden_size, rates=RATES, **fixed):
    """The grid of one stack: its depth and width fixed, the learning rates swept, any other option fixed."""
    return {"n_layers": [n_layers], "hidden_size": [hidden_size], "learning_rate": rates,
            **{key: [value] for key, value in fixed.items()}}


SWITCH, NAMES, NAMES_RATES = depth.SWITCH_SIZES, depth.NAMES_SIZES, [0.001, 0.003, 0.01, 0.03]
STUDIES = {
    "switch": (depth.switch_scores, "max", {
        "1 layer": _stack(1, SWITCH[1]),
        "2 layers": _stack(2, SWITCH[2]),
        "3 layers": _stack(3, SWITCH[3]),
        "1 layer, 2x parameters": _stack(1, 15),
        "1 layer, 3x epochs": _stack(1, SWITCH[1], epochs=3 * depth.SWITCH["epochs"]),
        "2 layers, dropout 0.1": _stack(2, SWITCH[2], dropout=0.1),
        "2 layers, dropout 0.3": _stack(2, SWITCH[2], dropout=0.3),
    }),
    "names": (depth.names_scores, "min", {
        "1 layer": _stack(1, NAMES[1], NAMES_RATES),
        "2 layers": _stack(2, NAMES[2], NAMES_RATES),
        "2 layers, dropout 0.1": _stack(2, NAMES[2], NAMES_RATES, dropout=0.1),
        "2 layers, dropout 0.3": _stack(2, NAMES[2], NAMES_RATES, dropout=0.3),
    }),
    "directions": (depth.tagging_scores, "max", {
        "one way": {"learning_rate": TAG_RATES},
        "one way, 2 layers": {"learning_rate": TAG_RATES, "n_layers": [2]},
        "one way, GRU": {"learning_rate": TAG_RATES, "cell": ["gru"]},
        "two ways": {"learning_rate": TAG_RATES, "bidirectional": [True]},
        "two ways, GRU": {"learning_rate": TAG_RATES, "bidirectional": [True], "cell": ["gru"]},
    }),
    "summaries": (depth.ordering_scores, "max", {
        "last real state": {"learning_rate": RATES, "summary": ["last"]},
        "mean state": {"learning_rate": RATES, "summary": ["mean"]},
        "both ways, last": {"learning_rate": RATES, "summary": ["last"], "bidirectional": [True]},
    }),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("studies", nargs="*", metavar="study", help=f"which tables to rebuild: {', '.join(STUDIES)} "
                        "(default: all)")
    args = parser.parse_args()
    from rnn_lesson import setup_logging
    setup_logging("warn")
    unknown = [name for name in args.studies if name not in STUDIES]
    if unknown:
        parser.error(f"unknown study {unknown[0]!r}; choose from {', '.join(STUDIES)}")
    for name in args.studies or list(STUDIES):
        run, goal, methods = STUDIES[name]
        start, seconds = time.process_time(), {}

        def timed(method, seed, **setting):
            began = time.process_time()
            result = run(method, seed, **setting)
            seconds.setdefault(method, []).append(time.process_time() - began)
            return result

        study = experiments.compare(timed, methods, seeds=SEEDS, select="validation", goal=goal,
                                    progress=lambda row: print(f"  {row['method']:<24} {row['setting']:<22} seed "
                                                               f"{row['seed']}: validation {row['validation']:.4f}",
                                                               flush=True))
        path = study.to_csv(ROOT / "data" / "results" / f"depth_{name}.csv",
                            command=f"python benchmarks/bench_depth.py {name}")
        print(study.best().to_string(), flush=True)
        print("CPU seconds per run: " + ", ".join(f"{method} {sum(times) / len(times):.2f}"
                                                  for method, times in seconds.items()))
        print(f"{name}: {len(study.table)} runs, {time.process_time() - start:.0f} CPU s -> {path.relative_to(ROOT)}",
              flush=True)


if __name__ == "__main__":
    main()
