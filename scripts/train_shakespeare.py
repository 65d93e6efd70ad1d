"""Train the Shakespeare checkpoint that lesson 13 loads: data/shakespeare_lstm.npz.

    python scripts/train_shakespeare.py                     # the shipped checkpoint (about 10 minutes)
    python scripts/train_shakespeare.py --minutes 1 --out /tmp/try.npz

An LSTM language model (rl.CharLM) trained on data/shakespeare.txt with the
reference engine (the shipped checkpoint; ``--engine fast`` gives the same numbers to
~1e-10, faster, so it trains on more chunks in the same time), seeded, for at most ``--minutes`` of training (the limit is
checked after every chunk, so a slower machine trains on fewer chunks: the
result depends on the machine's speed, the numbers before it do not). Then the
loss on the held-out plays (data/shakespeare_heldout.txt, Macbeth and Twelfth
Night) is measured and printed, with the training time and a sample; the
held-out loss is stored in the checkpoint's history.

BLAS runs on one thread unless ``--threads`` says otherwise: on a shared 2-core
machine, two BLAS threads competing with other work made each step 10-20 times
slower for these small matrices.
"""
import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="training time limit (default: 10)")
    parser.add_argument("--hidden", type=int, default=128, help="LSTM units (default: 128)")
    parser.add_argument("--seq-len", type=int, default=64, help="characters per chunk (default: 64)")
    parser.add_argument("--batch", type=int, default=64, help="streams per batch (default: 64)")
    parser.add_argument("--lr", type=float, default=0.004, help="Adam's learning rate (default: 0.004)")
    parser.add_argument("--epochs", type=int, default=50, help="at most this many epochs (default: 50)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default: 1)")
    parser.add_argument("--engine", choices=["reference", "fast"], default="reference",
                        help="(default: reference, as the shipped checkpoint was trained)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "data" / "shakespeare_lstm.npz"))
    return parser.parse_args()


def main():
    args = parse()
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(args.threads)
    sys.path.insert(0, str(ROOT))
    import rnn_lesson as rl  # after the thread settings: BLAS reads them when NumPy loads it

    train = (ROOT / "data" / "shakespeare.txt").read_text(encoding="ascii")
    heldout = (ROOT / "data" / "shakespeare_heldout.txt").read_text(encoding="ascii")
    log = rl.get_logger("rnn_lesson.scripts")
    log.info(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"load average {os.getloadavg()[0]:.2f}; BLAS threads {args.threads}")
    model = rl.CharLM(cell="lstm", hidden_size=args.hidden, seq_len=args.seq_len, batch_size=args.batch,
                      learning_rate=args.lr, epochs=args.epochs, seed=args.seed, max_seconds=60 * args.minutes,
                      engine=args.engine, progress=True)
    probe = heldout[:20_000]

    def report(epoch, model):
        log.info(f"epoch {epoch}: training loss {model.loss_curve_[-1]:.3f}, held-out loss on the first "
                 f"20,000 characters {model.loss(probe):.3f} nats/char, {time.perf_counter() - started:.0f} s "
                 f"in, load average {os.getloadavg()[0]:.2f}")
        log.info("sample: " + repr(model.sample(200, temperature=0.8, prompt="\n", seed=epoch)))

    started = time.perf_counter()
    model.fit(train, after_epoch=report)
    seconds = model.history_[-1]["seconds"]
    loss = model.loss(heldout)
    model.history_[-1]["heldout_loss"] = loss
    path = model.save(args.out)
    log.info(f"trained {seconds:.0f} s ({len(model.loss_curve_)} epoch(s), the last possibly partial); "
             f"held-out loss (Macbeth, Twelfth Night) {loss:.4f} nats/char = {loss / 0.6931471805599453:.3f} "
             f"bits/char; engine {args.engine}; saved {path} ({path.stat().st_size / 1e6:.2f} MB)")
    print(model.sample(600, temperature=0.8, prompt="\n", seed=0))


if __name__ == "__main__":
    main()
