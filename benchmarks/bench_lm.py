"""Training a character language model of lesson 13's shape: rl.fast against PyTorch, side by side, one thread.

    python benchmarks/bench_lm.py                                   # about 3 minutes, PyTorch if importable
    python benchmarks/bench_lm.py --torch-python /tmp/torchvenv/bin/python   # PyTorch from another venv
    python benchmarks/bench_lm.py --quick                           # a smoke test

The model: V = 65 characters, H = 256 hidden units, chunks of T = 64 steps, batches of
B = 32 streams, float64, Adam (lr 2e-3), truncated BPTT (the state carried from chunk to
chunk), for the cells rnn (tanh), lstm and gru. Ours: ``rl.fast.language.lm_loss_and_grads``
(the inputs' product is a row lookup W_xh[ids]) and ``rl.fast.adam.Adam`` (rl.Adam compiled). PyTorch's: ``nn.RNN`` /
``nn.LSTM`` / ``nn.GRU`` on one-hot inputs (it has no row-lookup input: its input product
is a (T·B, V) × (V, G·H) product, forward and for dW_ih) and ``nn.Linear``,
``F.cross_entropy`` and ``torch.optim.Adam``. Its GRU applies the reset gate after W_hn (the
same FLOPs).

Each measurement runs in a child process (one thread, CPU time of the training loop only,
after two warm-up chunks), so neither library's threads, BLAS or allocator touch the other's
timing. Rounds interleave them: dgemm, then for each cell ours and PyTorch's, and the ratios
are taken within a round (moments apart) before the median over rounds is printed: on a
shared machine that cancels most of its drift.

GFLOP/s counts the matrix products the model needs per chunk (2 FLOPs per multiply-add):
h_{t-1} W_hh, da_t W_hh^T and dW_hh (3 T B H G·H), the output layer's three
(3 T B H V); the row lookup and its scatter-add are not products. dgemm is NumPy's BLAS on
1500 × 1500 float64 matrices, one thread.
"""
import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_name] = "1"  # single-threaded: set before numpy (and torch) are imported

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

V, H, T, B, LEARNING_RATE = 65, 256, 64, 32, 2e-3
GATES = {"rnn": 1, "lstm": 4, "gru": 3}
TIMER = time.process_time


def flops_per_chunk(cell, n_steps=T, n_seq=B, n_hid=H, n_vocab=V):
    """FLOPs of the matrix products one chunk's forward and backward pass needs (2 per multiply-add)."""
    width = GATES[cell] * n_hid
    return 2 * (3 * n_steps * n_seq * n_hid * width + 3 * n_steps * n_seq * n_hid * n_vocab)


def text_ids(n_chunks, seed=0):
    """(n_chunks, T + 1, B) ids: B streams of synthetic text cut into chunks (inputs [:-1], targets [1:])."""
    rng = np.random.default_rng(seed)
    streams = rng.integers(0, V, (B, n_chunks * T + 1))
    return np.stack([streams[:, c * T: c * T + T + 1].T for c in range(n_chunks)])


# --- the two children ---------------------------------------------------------------------------

def timed_training(train, chunks, state):
    """CPU seconds of ``state = train(chunk, state)`` over chunks[2:], after two warm-up chunks."""
    for chunk in chunks[:2]:
        state = train(chunk, state)
    start = TIMER()
    for chunk in chunks[2:]:
        state = train(chunk, state)
    return TIMER() - start


# --- ours and theirs ----------------------------------------------------------------------------

def ours(cell, n_chunks):
    """CPU seconds for n_chunks chunks of rl.fast's LM training with its Adam (after 2 warm-up chunks)."""
    from rnn_lesson.fast.adam import Adam
    from rnn_lesson.fast.language import lm_loss_and_grads
    from rnn_lesson.fast.recurrence import CellWorkspace

    rng = np.random.default_rng(1)
    width = GATES[cell] * H
    params = {"W_xh": rng.standard_normal((V, width)), "W_hh": rng.standard_normal((H, width)) / H ** 0.5,
              "b_h": np.zeros(width), "W_hy": rng.standard_normal((H, V)) / H ** 0.5, "b_y": np.zeros(V)}
    ws, optimizer = CellWorkspace(cell, T, B, V, H, V), Adam(LEARNING_RATE)
    state = tuple(np.zeros((B, H)) for _ in range(2 if cell == "lstm" else 1))
    chunks = text_ids(n_chunks + 2)

    def train(chunk, state):
        loss, grads, state = lm_loss_and_grads(cell, params, chunk[:-1], chunk[1:], state, ws)
        optimizer.step(params, grads)
        return state

    return timed_training(train, chunks, state)


def theirs(cell, n_chunks):
    """CPU seconds for n_chunks chunks of PyTorch's nn.RNN/LSTM/GRU + Linear, one-hot inputs, Adam."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    torch.manual_seed(0)
    kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    recurrent, head = kind(V, H).double(), torch.nn.Linear(H, V).double()
    optimizer = torch.optim.Adam([*recurrent.parameters(), *head.parameters()], lr=LEARNING_RATE)
    zeros = torch.zeros(1, B, H, dtype=torch.float64)
    state = (zeros, zeros.clone()) if cell == "lstm" else zeros
    chunks = torch.from_numpy(text_ids(n_chunks + 2))

    def train(chunk, state):
        optimizer.zero_grad()
        xs = F.one_hot(chunk[:-1], V).double()                     # (T, B, V)
        hs, state = recurrent(xs, state)
        loss = F.cross_entropy(head(hs).reshape(-1, V), chunk[1:].reshape(-1))
        loss.backward()
        optimizer.step()
        return tuple(s.detach() for s in state) if cell == "lstm" else state.detach()

    return timed_training(train, chunks, state)


def child(python, who, cell, n_chunks):
    """Run ``ours`` or ``theirs`` in a child process of ``python``; chars per second."""
    command = [python, os.path.abspath(__file__), "--child", json.dumps([who, cell, n_chunks])]
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=dict(os.environ)).stdout
    return n_chunks * T * B / float(output.strip().splitlines()[-1])


# --- the parent ---------------------------------------------------------------------------------

def dgemm_gflops(size=1500, repeats=3):
    """Single-thread float64 products of two size x size matrices in NumPy: GFLOP/s, median of ``repeats``."""
    rng = np.random.default_rng(0)
    a, b, out = rng.standard_normal((size, size)), rng.standard_normal((size, size)), np.empty((size, size))
    np.matmul(a, b, out=out)
    seconds = []
    for _ in range(repeats):
        start = TIMER()
        np.matmul(a, b, out=out)
        seconds.append(TIMER() - start)
    return 2 * size ** 3 / float(np.median(seconds)) / 1e9


def torch_python(requested):
    """The Python that can import torch (``requested``, else this one), or None to skip PyTorch."""
    python = requested or sys.executable
    found = subprocess.run([python, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
    return (python, found.stdout.strip()) if found.returncode == 0 else (None, None)


def blas_of_torch(python):
    """PyTorch's BLAS and the CPU capability it uses, from torch.__config__.show()."""
    script = ("import torch; lines = [l.strip(' -') for l in torch.__config__.show().splitlines()]; "
              "print('; '.join(l for l in lines if 'Math Kernel' in l or 'OpenBLAS' in l or 'CPU capability' in l))")
    return subprocess.run([python, "-c", script], capture_output=True, text=True).stdout.strip()


def describe_machine(torch_version, python):
    """Print the CPU, its vector width, the BLAS of NumPy (and PyTorch) and the load."""
    import numba

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    flags = next((line for line in open("/proc/cpuinfo") if line.startswith("flags")), "")
    width = "AVX-512 (512 bit)" if " avx512f" in flags else "AVX2 (256 bit)" if " avx2" in flags else "SSE (128 bit)"
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {cpu}, {os.cpu_count()} cores, vectors {width}")
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, numba {numba.__version__}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print(f"NumPy's BLAS: {blas.get('name')} {blas.get('version')}")
    print(f"PyTorch {torch_version}: {blas_of_torch(python)}" if python else
          "PyTorch: not found (its columns are skipped; pass --torch-python PATH to a Python that has it)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chunks", type=int, default=8, help="chunks timed per child (2048 characters each)")
    parser.add_argument("--cells", default="lstm,gru,rnn")
    parser.add_argument("--torch-python", help="a Python that can import torch (default: this one, if it can)")
    parser.add_argument("--quick", action="store_true", help="2 rounds of 2 chunks: a smoke test")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        who, cell, n_chunks = json.loads(args.child)
        print((ours if who == "ours" else theirs)(cell, n_chunks))
        return
    rounds, n_chunks = (2, 2) if args.quick else (args.rounds, args.chunks)
    cells = args.cells.split(",")
    python, torch_version = torch_python(args.torch_python)
    describe_machine(torch_version, python)
    print(f"\nLM training, V={V}, H={H}, T={T}, B={B}, float64, Adam, one thread; {rounds} rounds of "
          f"{n_chunks} chunks per child, interleaved\n")
    results = {cell: {"ours": [], "torch": [], "ratio": [], "share": []} for cell in cells}
    gemms = []
    for round_ in range(rounds):
        gemm = dgemm_gflops()
        gemms.append(gemm)
        for cell in cells:
            mine = child(sys.executable, "ours", cell, n_chunks)
            row = results[cell]
            row["ours"].append(mine)
            row["share"].append(mine / (T * B) * flops_per_chunk(cell) / 1e9 / gemm)
            if python:
                other = child(python, "torch", cell, n_chunks)
                row["torch"].append(other)
                row["ratio"].append(mine / other)
        print(f"  round {round_ + 1}: dgemm {gemm:.1f} GFLOP/s; " + "; ".join(
            f"{cell} {results[cell]['ours'][-1]:,.0f}" + (f" vs {results[cell]['torch'][-1]:,.0f}" if python else "")
            for cell in cells) + " chars/s")
    report(results, gemms, bool(python))


def report(results, gemms, with_torch):
    """The table of medians and the targets of issue 12."""
    median = lambda values: float(np.median(values)) if values else float("nan")  # noqa: E731
    print(f"\nsingle-thread dgemm: {median(gemms):.1f} GFLOP/s (median; range {min(gemms):.1f}-{max(gemms):.1f})")
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| cell | ours chars/s | PyTorch chars/s | ours / PyTorch | ours GFLOP/s | ours share of dgemm | "
          "PyTorch GFLOP/s |\n|---|---:|---:|---:|---:|---:|---:|")
    for cell, row in results.items():
        gflop = flops_per_chunk(cell) / (T * B) / 1e9
        theirs = (f"{median(row['torch']):,.0f} | {median(row['ratio']):.2f}x" if with_torch else "skipped | -")
        torch_rate = f"{median(row['torch']) * gflop:.1f}" if with_torch else "-"
        print(f"| {cell} | {median(row['ours']):,.0f} | {theirs} | {median(row['ours']) * gflop:.1f} | "
              f"{median(row['share']):.1%} | {torch_rate} |")
    print("\nTargets (issue 12; ratios and shares are medians of per-round values):")
    for cell in ("lstm", "gru"):
        if cell not in results:
            continue
        row = results[cell]
        if with_torch:
            ratio = median(row["ratio"])
            print(f"  [{'MET' if ratio >= 1.25 else 'MISSED':6s}] {cell} >= 1.25x PyTorch chars/s: {ratio:.2f}x "
                  f"(goal 1.5x: {'met' if ratio >= 1.5 else 'not met'})")
        share = median(row["share"])
        print(f"  [{'MET' if share >= 0.7 else 'MISSED':6s}] {cell} >= 70 % of dgemm: {share:.1%}")


if __name__ == "__main__":
    main()
