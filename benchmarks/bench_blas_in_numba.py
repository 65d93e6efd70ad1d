"""Does calling BLAS from inside numba pay? The LSTM recurrence of lesson 13's shape, two ways.

    python benchmarks/bench_blas_in_numba.py     # needs SciPy (not a dependency of the course): skipped without it

numba compiles ``np.dot`` on contiguous float64 arrays in nopython mode into a call to BLAS only when
SciPy is installed (it borrows SciPy's BLAS). Then the whole loop over the T = 64 steps of a chunk
(B = 32, H = 256) can be one compiled call, with no trip back to Python between the steps. This
script times that against what ``rl.fast.recurrence`` does, a Python loop calling NumPy's
``matmul(out=...)`` and a compiled kernel at each step, with the same kernels (written here with
libm's exp and tanh, self-contained, so the SciPy environment needs only numpy, numba and scipy).
Forward and backward, median and best of 7 CPU times, interleaved.
"""
import importlib.util
import os
import sys

for n in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[n] = "1"
if importlib.util.find_spec("scipy") is None:
    sys.exit("SciPy is not installed: numba cannot call BLAS from compiled code here, so there is nothing to compare")

import math  # noqa: E402
import time  # noqa: E402

import numba  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402


@numba.njit(fastmath={"contract"}, error_model="numpy")
def fwd_kernel(a, rec, c_prev, c, tanh_c, h):
    n = h.shape[1]
    for b in range(h.shape[0]):
        ar, rr = a[b], rec[b]
        for j in range(4 * n):
            x = ar[j] + rr[j]
            ar[j] = math.tanh(x) if 2 * n <= j < 3 * n else 1.0 / (1.0 + math.exp(-x))
        for j in range(n):
            cv = ar[n + j] * c_prev[b, j] + ar[j] * ar[2 * n + j]
            c[b, j] = cv
            tanh_c[b, j] = math.tanh(cv)
            h[b, j] = ar[3 * n + j] * tanh_c[b, j]

@numba.njit(fastmath={"contract"}, error_model="numpy")
def bwd_kernel(dh_out, carry, dc, gates, c_prev, tanh_c, da):
    n = dc.shape[1]
    for b in range(dc.shape[0]):
        for j in range(n):
            i, f, g, o = gates[b, j], gates[b, n + j], gates[b, 2 * n + j], gates[b, 3 * n + j]
            dh = dh_out[b, j] + carry[b, j]
            t = tanh_c[b, j]
            d = dc[b, j] + dh * o * (1 - t * t)
            da[b, j] = d * g * i * (1 - i)
            da[b, n + j] = d * c_prev[b, j] * f * (1 - f)
            da[b, 2 * n + j] = d * i * (1 - g * g)
            da[b, 3 * n + j] = dh * t * o * (1 - o)
            dc[b, j] = d * f

def python_loop(a, hs, cs, tc, W, WT, rec, dhs, carry, dc, da):
    for t in range(a.shape[0]):
        np.matmul(hs[t], W, out=rec)
        fwd_kernel(a[t], rec, cs[t], cs[t + 1], tc[t], hs[t + 1])
    carry[:] = 0
    dc[:] = 0
    for t in range(a.shape[0] - 1, -1, -1):
        bwd_kernel(dhs[t], carry, dc, a[t], cs[t], tc[t], da[t])
        if t > 0:
            np.matmul(da[t], WT, out=carry)

@numba.njit
def compiled_loop(a, hs, cs, tc, W, WT, rec, dhs, carry, dc, da):
    for t in range(a.shape[0]):
        np.dot(hs[t], W, rec)
        fwd_kernel(a[t], rec, cs[t], cs[t + 1], tc[t], hs[t + 1])
    carry[:] = 0
    dc[:] = 0
    for t in range(a.shape[0] - 1, -1, -1):
        bwd_kernel(dhs[t], carry, dc, a[t], cs[t], tc[t], da[t])
        if t > 0:
            np.dot(da[t], WT, carry)

def buffers(rng, a0, W):
    """a (T, B, 4H), hs, cs (T + 1, B, H), tanh_c (T, B, H), W, W^T, rec (B, 4H), dhs, carry, dc, da."""
    T, B, H = a0.shape[0], a0.shape[1], W.shape[0]
    return (a0.copy(), np.zeros((T + 1, B, H)), np.zeros((T + 1, B, H)), np.zeros((T, B, H)), W,
            np.ascontiguousarray(W.T), np.zeros((B, 4 * H)), rng.standard_normal((T, B, H)), np.zeros((B, H)),
            np.zeros((B, H)), np.zeros((T, B, 4 * H)))


def main(T=64, B=32, H=256, repeats=7):
    rng = np.random.default_rng(0)
    a0, W = rng.standard_normal((T, B, 4 * H)), rng.standard_normal((H, 4 * H)) / 16
    ways = {"Python loop + NumPy matmul": (python_loop, buffers(np.random.default_rng(1), a0, W)),
            "numba loop + np.dot (SciPy's BLAS)": (compiled_loop, buffers(np.random.default_rng(1), a0, W))}
    times = {name: [] for name in ways}
    for name, (loop, args) in ways.items():
        loop(*args)  # compile
    results = [args[-1] for _, args in ways.values()]
    assert np.allclose(results[0], results[1], rtol=1e-12, atol=1e-14), "the two loops disagree"
    for _ in range(repeats):
        for name, (loop, args) in ways.items():
            args[0][:] = a0
            start = time.process_time()
            loop(*args)
            times[name].append(time.process_time() - start)
    print(f"LSTM recurrence forward and backward, T = {T}, B = {B}, H = {H}, one thread:")
    for name, values in times.items():
        print(f"  {name:36s} median {np.median(values) * 1e3:7.2f} ms   best {min(values) * 1e3:7.2f} ms")
    ratio = np.median(times["Python loop + NumPy matmul"]) / np.median(times["numba loop + np.dot (SciPy's BLAS)"])
    print(f"  the compiled loop is {ratio:.2f}x the speed of the Python loop (median over median)")
    blas = {name: module.show_config(mode="dicts")["Build Dependencies"]["blas"].get("version")
            for name, module in (("SciPy", scipy), ("NumPy", np))}
    print(f"SciPy {scipy.__version__} (BLAS {blas['SciPy']}), NumPy {np.__version__} (BLAS {blas['NumPy']}), "
          f"numba {numba.__version__}")


if __name__ == "__main__":
    main()
