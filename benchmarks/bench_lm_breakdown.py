"""Where the time of one language-model chunk goes: each piece of rl.fast's training step timed alone.

    python benchmarks/bench_lm_breakdown.py            # the LSTM, then the GRU; about 30 s
    python benchmarks/bench_lm_breakdown.py --cell rnn

The shape of ``bench_lm.py`` (V = 65, H = 256, T = 64, B = 32, float64, one thread). Each piece
is the best of ``--repeats`` timings (CPU time), with the data of a real chunk in the workspace;
pieces timed alone run with their data in cache, so they add up to a little less than the whole.
The "products" lines are the BLAS calls alone; the "kernels and the rest" lines are what the
recurrence costs beyond them (the compiled gate kernels and the Python loop over the steps).
"""
import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench_lm import B, GATES, H, T, V, flops_per_chunk  # noqa: E402
from rnn_lesson.fast import gate_kernels as k, recurrence  # noqa: E402
from rnn_lesson.fast.adam import Adam  # noqa: E402
from rnn_lesson.fast.language import lm_loss_and_grads, softmax_cross_entropy_rows  # noqa: E402


def best_seconds(action, number, repeats):
    """The best over ``repeats`` of the CPU seconds per call of ``number`` calls of ``action``."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(number):
            action()
        times.append((time.process_time() - start) / number)
    return min(times)


def recurrent_products(cell, W_hh, ws):
    """(forward, backward) actions doing one step's recurrent products alone, as recurrence.py does them."""
    h, da = ws.hs[T // 2], ws.da[T // 2]
    if cell != "gru":
        return (lambda: np.matmul(h, W_hh, out=ws.rec)), (lambda: np.matmul(da, W_hh.T, out=ws.step[0]))
    W_rz, W_n = W_hh[:, :2 * H], W_hh[:, 2 * H:]
    forward = (lambda: (np.matmul(h, W_rz, out=ws.rec[:, :2 * H]), np.matmul(ws.reset[T // 2], W_n, out=ws.rec_n)))
    backward = (lambda: (np.matmul(da[:, 2 * H:], W_n.T, out=ws.step[3]),
                         np.matmul(da[:, :2 * H], W_rz.T, out=ws.step[0])))
    return forward, backward


def weight_product(cell, ws, grads):
    """dW_hh = H_prev^T dA as recurrence.backward computes it (the GRU: two products, its n block from r ⊙ h)."""
    rows = T * B
    h_prev, da_rows = ws.hs[:-1].reshape(rows, H), ws.da.reshape(rows, -1)
    if cell != "gru":
        return np.matmul(h_prev.T, da_rows, out=grads["W_hh"])
    np.matmul(h_prev.T, da_rows[:, :2 * H], out=grads["W_hh"][:, :2 * H])
    np.matmul(ws.reset.reshape(rows, H).T, da_rows[:, 2 * H:], out=grads["W_hh"][:, 2 * H:])


def breakdown(cell, repeats):
    rng = np.random.default_rng(1)
    width = GATES[cell] * H
    params = {"W_xh": rng.standard_normal((V, width)), "W_hh": rng.standard_normal((H, width)) / H ** 0.5,
              "b_h": np.zeros(width), "W_hy": rng.standard_normal((H, V)) / H ** 0.5, "b_y": np.zeros(V)}
    ids = rng.integers(0, V, (T + 1, B))
    inputs, targets = ids[:-1], ids[1:]
    state = tuple(np.zeros((B, H)) for _ in range(2 if cell == "lstm" else 1))
    ws, optimizer = recurrence.CellWorkspace(cell, T, B, V, H, V), Adam(2e-3)

    def chunk():
        optimizer.step(params, lm_loss_and_grads(cell, params, inputs, targets, state, ws)[1])

    chunk()
    whole = best_seconds(chunk, 3, repeats)
    rows, grads, W_hh = T * B, dict(ws.grads), params["W_hh"]
    a_rows, da_rows = ws.a.reshape(rows, -1), ws.da.reshape(rows, -1)
    product_forward, product_backward = recurrent_products(cell, W_hh, ws)
    saved_a = ws.a.copy()

    def run_forward():
        ws.a[...] = saved_a  # the gates are computed in place: start from the pre-activations each time
        recurrence.forward(cell, W_hh, ws)

    copy_a = best_seconds(lambda: np.copyto(ws.a, saved_a), 5, repeats)
    pieces = {
        "x W_xh: row lookup + bias": best_seconds(lambda: (k.gather_rows(params["W_xh"], inputs.reshape(-1), a_rows),
                                                            k.add_bias_rows(a_rows, params["b_h"])), 5, repeats),
        f"{T} recurrent products forward": T * best_seconds(product_forward, 50, repeats),
        "output layer forward (product)": best_seconds(lambda: recurrence.output_forward(ws, params["W_hy"],
                                                                                          params["b_y"]), 5, repeats),
        "softmax cross-entropy": best_seconds(lambda: softmax_cross_entropy_rows(
            ws.ys.reshape(rows, -1), targets.reshape(-1), ws.dys.reshape(rows, -1)), 5, repeats),
        "output layer backward (2 products)": best_seconds(lambda: recurrence.output_backward(
            ws, params["W_hy"], grads), 5, repeats),
        f"{T - 1} recurrent products backward": (T - 1) * best_seconds(product_backward, 50, repeats),
        "dW_hh: one product over T B rows": best_seconds(lambda: weight_product(cell, ws, grads), 3, repeats),
        "dW_xh: scatter-add over the ids": best_seconds(lambda: k.scatter_add_rows(da_rows, inputs.reshape(-1),
                                                                                   grads["W_xh"]), 5, repeats),
        "Adam step (rl.fast.adam)": best_seconds(lambda: optimizer.step(params, grads), 5, repeats),
    }
    forward_all = best_seconds(run_forward, 3, repeats) - copy_a
    backward_all = best_seconds(lambda: recurrence.backward(cell, W_hh, ws, grads), 3, repeats)
    pieces["forward: gate kernels and the rest"] = forward_all - pieces[f"{T} recurrent products forward"]
    pieces["backward: gate kernels, db_h and the rest"] = (backward_all - pieces[f"{T - 1} recurrent products backward"]
                                                           - pieces["dW_hh: one product over T B rows"])
    print(f"\n{cell}: one chunk of T={T}, B={B}, H={H}, V={V}, each piece timed alone, best of {repeats}")
    print("| piece | ms | share |\n|---|---:|---:|")
    for name, seconds in pieces.items():
        print(f"| {name} | {seconds * 1e3:.2f} | {seconds / whole:.0%} |")
    rest = whole - sum(pieces.values())
    print(f"| the rest (checks, calls, new_state) | {rest * 1e3:.2f} | {rest / whole:.0%} |")
    print(f"| **whole chunk with Adam** | **{whole * 1e3:.1f}** | {T * B / whole:,.0f} chars/s, "
          f"{flops_per_chunk(cell) / whole / 1e9:.1f} GFLOP/s |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cell", choices=sorted(GATES), action="append")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for cell in args.cell or ["lstm", "gru"]:
        breakdown(cell, args.repeats)


if __name__ == "__main__":
    main()
