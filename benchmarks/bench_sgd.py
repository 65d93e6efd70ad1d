"""How fast is each version of the training epoch? Measured in one run, on one core.

    python benchmarks/bench_sgd.py            # about a minute
    python benchmarks/bench_sgd.py --quick    # smaller subsets, for a smoke test

Prints microseconds per sequence for lesson 07's versions (v0 naive ... v5
mini-batches) on the shape of the Rust seed's fraud model (T = 10, I = 29,
H = 10, O = 1, N = 28,549 sequences), PyTorch's nn.RNN trained the same way
when torch is installed, the speed-ups, GFLOP/s against this machine's
single-thread matrix-multiply rate, and whether each target of the course is
MET or MISSED.

Times are CPU time of this process (time.process_time), the median of several
repeats: on a busy machine that is steadier than wall-clock time, and with
one thread it is the same thing on an idle one.
"""
import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_name] = "1"  # single-threaded: set before numpy (and torch) are imported

import argparse  # noqa: E402
import datetime  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numba  # noqa: E402
import numpy as np  # noqa: E402

import rnn_lesson as rl  # noqa: E402
from rnn_lesson import performance as pf  # noqa: E402

HAVE_TORCH = importlib.util.find_spec("torch") is not None

TIMER = time.process_time
N_SEED, T, I, O = 28_549, 10, 29, 1
FEATURES = [f"V{k}" for k in range(1, 29)] + ["Amount"]


def creditcard_arrays(n_sequences, seed=0):
    """X (N, 10, 29), Y (N, 10, 1): synthetic transactions in the Kaggle schema, min-max scaled."""
    frame = rl.generate_creditcard(n_sequences * T, seed=seed)
    X = frame[FEATURES].to_numpy(np.float64).reshape(n_sequences, T, I)
    Y = frame[["Class"]].to_numpy(np.float64).reshape(n_sequences, T, O)
    return rl.Dataset.from_arrays(X, Y).normalize().to_arrays()


def flops_per_sequence(n_steps, n_in, n_hid, n_out):
    """FLOPs (2 per multiply-add) of the matrix products one forward + backward pass needs.

    h_0 = 0, so h_0 W_hh and h_0's term of dW_hh are zero and not counted (minibatch_epoch
    skips them): the recurrence, dW_hh and the gradient sent back through W_hh each need
    T - 1 products of (H,) by (H, H).
    """
    recurrent = 3 * (n_steps - 1) * n_hid * n_hid   # h_{t-1} W_hh, dW_hh, dz_t W_hh^T
    inputs = 2 * n_steps * n_in * n_hid             # x_t W_xh, dW_xh
    outputs = 3 * n_steps * n_hid * n_out           # h_t W_hy, dy_t W_hy^T, dW_hy
    return 2 * (recurrent + inputs + outputs)


def dgemm_gflops(size=1500, repeats=5):
    """Single-thread float64 matrix-multiply rate of NumPy's BLAS on (size, size) matrices:
    (median, best) over ``repeats`` runs; the median is the statistic every time here uses."""
    rng = np.random.default_rng(0)
    a, b, c = rng.standard_normal((size, size)), rng.standard_normal((size, size)), np.empty((size, size))
    np.matmul(a, b, out=c)
    times = [_seconds(lambda: np.matmul(a, b, out=c)) for _ in range(repeats)]
    return 2 * size**3 / float(np.median(times)) / 1e9, 2 * size**3 / min(times) / 1e9


def paired_share_of_dgemm(epoch, flops, repeats, size=1500):
    """Median over ``repeats`` pairs of (GFLOP/s of ``epoch()``, which does ``flops``) / (dgemm GFLOP/s).

    Each pair is measured back to back. On a shared machine the speed drifts from one second
    to the next; the ratio of two times taken moments apart cancels most of that drift, the
    ratio of two medians taken a minute apart does not.
    """
    rng = np.random.default_rng(0)
    a, b, c = rng.standard_normal((size, size)), rng.standard_normal((size, size)), np.empty((size, size))
    np.matmul(a, b, out=c)
    ratios = []
    for _ in range(repeats):
        gemm = 2 * size**3 / _seconds(lambda: np.matmul(a, b, out=c))
        ratios.append(flops / _seconds(epoch) / gemm)
    return float(np.median(ratios))


def _best_seconds(action, number, repeats):
    """Least CPU seconds of one call of ``action``, over ``repeats`` runs of ``number`` calls."""
    return min(_seconds(lambda: [action() for _ in range(number)]) for _ in range(repeats)) / number


def breakdown(X, Y, n_hidden, batch_size, repeats):
    """Where the time of one batch goes: each piece of rl.fast's batch step timed on its own.

    Everything here is the best of ``repeats`` runs, to see past the noise of a shared
    machine. Pieces timed alone run with their data in cache, so they add up to a little
    less than the whole step; the shares say which ones matter.
    """
    from rnn_lesson import fast
    from rnn_lesson.fast import batch

    n_steps, n_in, n_out = X.shape[1], X.shape[2], Y.shape[2]
    params = rl.init_params(n_in, n_hidden, n_out, seed=0)
    ws = fast.Workspace(n_steps, n_in, n_hidden, n_out, batch_size=batch_size)
    xb, yb = X[:batch_size], Y[:batch_size]
    fast.minibatch_epoch(pf.copy_params(params), xb, yb, 0.01, batch_size, "tanh", ws)  # real values in ws
    W_hh, W_hy, b_h, g = params["W_hh"], params["W_hy"], params["b_h"], ws.grads
    hs, dz, rows = ws.hs, ws.dz, n_steps * batch_size
    x_flat, z_flat = ws.xs.reshape(rows, -1), dz.reshape(rows, -1)
    h_mid, dz_mid = hs[n_steps // 2].copy(), dz[n_steps // 2].copy()
    pieces = {
        f"{n_steps - 1} recurrent products h W_hh": (n_steps - 1, lambda: np.matmul(hs[1], W_hh, out=ws.scratch)),
        f"{n_steps - 1} recurrent products dz W_hh^T": (n_steps - 1, lambda: np.matmul(dz[1], W_hh.T, out=ws.dh_next)),
        "x W_xh, all steps at once": (1, lambda: np.matmul(x_flat, params["W_xh"], out=hs[1:].reshape(rows, -1))),
        "dW_xh, one product": (1, lambda: np.matmul(x_flat.T, z_flat, out=g["W_xh"])),
        "dW_hh, one product": (1, lambda: np.matmul(hs[1:-1].reshape(rows - batch_size, -1).T,
                                                    dz[1:].reshape(rows - batch_size, -1), out=g["W_hh"])),
        f"{n_steps} forward kernels (tanh, output layer)":
            (n_steps, lambda: batch._forward_step(h_mid, ws.scratch, b_h, W_hy.T, params["b_y"], ws.ys[0], 0)),
        f"{n_steps} backward kernels (tanh', biases, W_hy)":
            (n_steps, lambda: batch._backward_step(dz_mid, ws.dys[0], W_hy.T, ws.dh_next, hs[2], g["b_h"],
                                                   g["W_hy"].T, g["b_y"], 0)),
    }
    weights = pf.copy_params(params)
    whole = _best_seconds(lambda: fast.minibatch_epoch(weights, X, Y, 0.01, batch_size, "tanh", ws), 1, repeats)
    whole *= batch_size / len(X)
    print(f"\nWhere the time of one batch goes (H={n_hidden}, B={batch_size}; each piece timed alone, best of "
          f"{repeats}):")
    total = 0.0
    for name, (count, action) in pieces.items():
        seconds = count * _best_seconds(action, 200, repeats)
        total += seconds
        print(f"  {name:44s} {seconds * 1e6:8.1f} µs  {seconds / whole:5.1%}")
    rest = whole - total
    print(f"  {'the rest (copies, calls, SGD step, ...)':44s} {rest * 1e6:8.1f} µs  {rest / whole:5.1%}")
    print(f"  {'whole batch (minibatch_epoch, per batch)':44s} {whole * 1e6:8.1f} µs")
    flops = flops_per_sequence(n_steps, n_in, n_hidden, n_out) * batch_size
    print(f"  best-case rate: {flops / whole / 1e9:.1f} GFLOP/s")


def _seconds(action):
    start = TIMER()
    action()
    return TIMER() - start


def torch_seconds_per_sequence(X, Y, n_hidden, batch_size, learning_rate, repeats):
    """Median CPU seconds per sequence of nn.RNN + nn.Linear, float64, SGD on the MSE, batches in order."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    rnn = torch.nn.RNN(X.shape[2], n_hidden, batch_first=True, nonlinearity="tanh").double()
    head = torch.nn.Linear(n_hidden, Y.shape[2]).double()
    optimizer = torch.optim.SGD([*rnn.parameters(), *head.parameters()], lr=learning_rate)
    inputs, targets = torch.from_numpy(X), torch.from_numpy(Y)

    def epoch():
        for start in range(0, len(inputs), batch_size):
            optimizer.zero_grad()
            hidden, _ = rnn(inputs[start:start + batch_size])
            loss = ((head(hidden) - targets[start:start + batch_size]) ** 2).mean()
            loss.backward()
            optimizer.step()

    epoch()  # warm-up
    return float(np.median([_seconds(epoch) for _ in range(repeats)])) / len(inputs)


def torch_in_subprocess(n_sequences, n_hidden, batch_size, learning_rate, repeats):
    """Run ``torch_seconds_per_sequence`` in a child process, so that loading torch (its own
    threads, BLAS and allocator) cannot change the NumPy and numba timings of this one."""
    command = [sys.executable, __file__, "--torch-child",
               json.dumps([n_sequences, n_hidden, batch_size, learning_rate, repeats])]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def target(description, value, goal, unit):
    verdict = "MET" if value >= goal else "MISSED"
    print(f"  [{verdict:6s}] {description}: {value:,.2f}{unit} (target >= {goal:g}{unit})")
    return verdict == "MET"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small subsets (a smoke test, numbers less steady)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--breakdown", action="store_true", help="also time each piece of one H = 128 batch")
    parser.add_argument("--torch-child", help=argparse.SUPPRESS)  # internal: time PyTorch, print seconds
    args = parser.parse_args(argv)
    if args.torch_child:
        n, n_hidden, batch_size, learning_rate, repeats = json.loads(args.torch_child)
        X, Y = creditcard_arrays(n)
        print(torch_seconds_per_sequence(X, Y, n_hidden, batch_size, learning_rate, repeats))
        return
    n_slow, n_fast, n_torch, n_big = (50, 2000, 50, 512) if args.quick else (400, N_SEED, 400, 4096)
    lr = 0.01

    print(f"{datetime.date.today()}  {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, NumPy {np.__version__}, numba {numba.__version__}, "
          f"torch {'installed (timed in a child process)' if HAVE_TORCH else 'not installed'}")
    if os.environ.get("OPENBLAS_CORETYPE"):
        print(f"note: OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set; it can slow NumPy's BLAS")
    gemm, gemm_best = dgemm_gflops(repeats=args.repeats)
    print(f"single-thread dgemm (1500 x 1500, NumPy BLAS): {gemm:.1f} GFLOP/s (median; best {gemm_best:.1f})\n")

    # --- the seed's shape: H = 10, one sequence at a time ---
    X, Y = creditcard_arrays(N_SEED)
    params = rl.init_params(I, 10, O, seed=0)
    ws = rl.fast.Workspace(T, I, 10, O)
    rl.fast.sgd_epoch(pf.copy_params(params), X[:2], Y[:2], lr)  # compile (or load from the cache)
    rl.fast.minibatch_epoch(pf.copy_params(params), X[:2], Y[:2], lr, 64)
    versions = [(name, fn, n_slow, (ws,) if name[:2] in ("v3", "v4") else ()) for name, fn in pf.VERSIONS.items()]
    versions[-1] = ("v4 numba", pf.sgd_epoch_v4_numba, n_fast, (ws,))
    versions.append(("v5 mini-batches of 64", rl.fast.minibatch_epoch, n_fast, (64,)))
    print(f"Seed shape T={T}, I={I}, H=10, O={O}; time per sequence (v0-v3 on {n_slow} sequences, "
          f"v4-v5 on {n_fast}):")
    print(f"  {'version':24s} {'µs/seq':>10s} {'vs previous':>12s} {'vs v0':>9s}")
    timings = {}
    for name, fn, n, extra in versions:
        seconds = pf.time_per_sequence(fn, params, X[:n], Y[:n], lr, *extra, repeats=args.repeats, timer=TIMER)
        previous = list(timings.values())[-1] if timings else seconds
        v0 = timings.get("v0 naive", seconds)
        timings[name] = seconds
        print(f"  {name:24s} {seconds * 1e6:10.2f} {previous / seconds:11.2f}x {v0 / seconds:8.1f}x")
    torch_single = None
    if HAVE_TORCH:
        torch_single = torch_in_subprocess(n_torch, 10, 1, lr, max(3, args.repeats // 2))
        print(f"  {'PyTorch nn.RNN, 1 seq':24s} {torch_single * 1e6:10.2f}")
    else:
        print("  PyTorch is not installed: its rows and targets are skipped (see benchmarks/README.md)")

    # --- a bigger model: H = 128, batches of 64 ---
    H, B = 128, 64
    Xb, Yb = X[:n_big], Y[:n_big]
    params_big = rl.init_params(I, H, O, seed=0)
    ws_big = rl.fast.Workspace(T, I, H, O, batch_size=B)
    mini = pf.time_per_sequence(rl.fast.minibatch_epoch, params_big, Xb, Yb, lr, B, "tanh", ws_big,
                                repeats=args.repeats, timer=TIMER)
    flops = flops_per_sequence(T, I, H, O)
    print(f"\nH={H}, batches of {B}, {n_big} sequences ({flops / 1e6:.2f} MFLOP of matrix products per sequence):")
    weights = pf.copy_params(params_big)
    share = paired_share_of_dgemm(lambda: rl.fast.minibatch_epoch(weights, Xb, Yb, lr, B, "tanh", ws_big),
                                  flops * n_big, args.repeats)
    print(f"  {'minibatch_epoch':24s} {mini * 1e6:10.2f} µs/seq  {flops / mini / 1e9:6.1f} GFLOP/s "
          f"({flops / mini / 1e9 / gemm:.0%} of the dgemm median above; {share:.0%} paired with dgemm run by run)")
    torch_batched = None
    if HAVE_TORCH:
        torch_batched = torch_in_subprocess(n_big, H, B, lr, max(3, args.repeats // 2))
        print(f"  {'PyTorch nn.RNN':24s} {torch_batched * 1e6:10.2f} µs/seq  {flops / torch_batched / 1e9:6.1f} GFLOP/s")
    if args.breakdown:
        breakdown(Xb, Yb, H, B, args.repeats)

    print("\nTargets:")
    best = min(timings.values())
    target("naive -> best, seed shape", timings["v0 naive"] / best, 50, "x")
    if not HAVE_TORCH:
        print("  [SKIPPED] the two PyTorch targets: torch is not installed")
    else:
        target("sgd_epoch vs PyTorch nn.RNN one sequence at a time", torch_single / timings["v4 numba"], 200, "x")
        target(f"minibatch_epoch vs PyTorch nn.RNN batched (H={H}, B={B})", torch_batched / mini, 2, "x")
    target(f"minibatch_epoch share of dgemm GFLOP/s (H={H}, B={B}), paired", 100 * share, 70, " %")


if __name__ == "__main__":
    main()
