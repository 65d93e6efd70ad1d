"""Do rnn_lesson's optimizers and softmax cross-entropy compute what PyTorch computes?

    python benchmarks/compare_torch.py       # a few seconds; needs torch (not a dependency of the course)

Runs SGD, SGD with momentum, Adagrad and Adam (also with weight decay, and with the
learning-rate schedules of ``rl.schedules`` against torch's StepLR, CosineAnnealingLR
and LinearLR + SequentialLR) for 20 steps on the same seeded
float64 parameters and gradients (of scales from 1e-3 to 10) in rnn_lesson and
in torch.optim, and compares ``rl.softmax_cross_entropy`` with
``torch.nn.functional.cross_entropy`` (the loss, and its gradient by autograd)
on float64 logits: ordinary ones and huge ones (+-1e4). Prints the largest
absolute difference of each beside the size of the values compared, and exits
with status 1 if a difference exceeds 1e-12 of that size.
"""
import sys

import numpy as np

import rnn_lesson as rl

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("compare_torch.py needs PyTorch, e.g. the CPU build: "
             "pip install torch --index-url https://download.pytorch.org/whl/cpu")

STEPS = 20
SHAPES = {"W_xh": (3, 8), "W_hh": (8, 8), "W_hy": (8, 2), "b_h": (8,), "b_y": (2,)}
OPTIMIZERS = [  # (name, ours, torch's on a list of parameters)
    ("SGD lr=0.1", lambda: rl.SGD(0.1), lambda ps: torch.optim.SGD(ps, lr=0.1)),
    ("Momentum lr=0.1 mu=0.9", lambda: rl.Momentum(0.1, momentum=0.9),
     lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
    ("Adagrad lr=0.1", lambda: rl.Adagrad(0.1), lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-10)),
    ("Adam lr=0.01", lambda: rl.Adam(0.01), lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    ("SGD weight_decay=0.1", lambda: rl.SGD(0.1, weight_decay=0.1),
     lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.1)),
    ("Momentum weight_decay=0.1", lambda: rl.Momentum(0.1, weight_decay=0.1),
     lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1)),
    ("Adagrad weight_decay=0.1", lambda: rl.Adagrad(0.1, weight_decay=0.1),
     lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-10, weight_decay=0.1)),
    ("Adam weight_decay=0.1", lambda: rl.Adam(0.01, weight_decay=0.1),
     lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1)),
    ("SGD StepDecay(5, 0.5)", lambda: rl.Scheduled(rl.SGD(0.1), rl.StepDecay(5, 0.5)),
     lambda ps: _with(torch.optim.SGD(ps, lr=0.1), lambda o: torch.optim.lr_scheduler.StepLR(o, 5, 0.5))),
    ("Adam Cosine(20, floor=0.1)", lambda: rl.Scheduled(rl.Adam(0.01), rl.Cosine(20, floor=0.1)),
     lambda ps: _with(torch.optim.Adam(ps, lr=0.01),
                      lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 20, eta_min=0.001))),
    ("Momentum Warmup(4, Cosine(16))", lambda: rl.Scheduled(rl.Momentum(0.1), rl.Warmup(4, rl.Cosine(16))),
     lambda ps: _with(torch.optim.SGD(ps, lr=0.1, momentum=0.9), lambda o: torch.optim.lr_scheduler.SequentialLR(
         o, [torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / 4, total_iters=3),
             torch.optim.lr_scheduler.CosineAnnealingLR(o, 16)], milestones=[4]))),
]


def _with(optimizer, make_scheduler):
    """(torch optimizer, its scheduler): the scheduler steps after every optimizer step."""
    return optimizer, make_scheduler(optimizer)


def compare_optimizer(make_ours, make_torch, seed=0):
    """Largest |ours - torch| over every parameter after each of STEPS steps, and the largest |param|."""
    rng = np.random.default_rng(seed)
    params = {k: rng.standard_normal(shape) for k, shape in SHAPES.items()}
    tensors = {k: torch.nn.Parameter(torch.tensor(v.copy(), dtype=torch.float64)) for k, v in params.items()}
    ours, theirs = make_ours(), make_torch(list(tensors.values()))
    theirs, scheduler = theirs if isinstance(theirs, tuple) else (theirs, None)
    worst = scale = 0.0
    for _ in range(STEPS):
        grads = {k: rng.standard_normal(shape) * 10.0 ** rng.uniform(-3, 1) for k, shape in SHAPES.items()}
        for k, tensor in tensors.items():
            tensor.grad = torch.tensor(grads[k], dtype=torch.float64)
        theirs.step()
        if scheduler is not None:
            scheduler.step()
        ours.step(params, grads)
        for k, tensor in tensors.items():
            worst = max(worst, float(np.max(np.abs(params[k] - tensor.detach().numpy()))))
            scale = max(scale, float(np.max(np.abs(params[k]))))
    return worst, scale


def compare_cross_entropy(logits, targets):
    """(|loss difference|, largest |dlogits difference|, |loss|) against F.cross_entropy (mean)."""
    loss, dlogits = rl.softmax_cross_entropy(logits, targets)
    n_classes = logits.shape[-1]
    tensor = torch.tensor(logits.reshape(-1, n_classes), dtype=torch.float64, requires_grad=True)
    reference = F.cross_entropy(tensor, torch.tensor(targets.reshape(-1), dtype=torch.int64))
    reference.backward()
    gradient_difference = float(np.max(np.abs(dlogits.reshape(-1, n_classes) - tensor.grad.numpy())))
    return abs(loss - reference.item()), gradient_difference, abs(loss)


def cross_entropy_cases(seed=0):
    """(name, logits (T, N, V), targets (T, N)): ordinary, huge (+-1e4 with ties), and 1e4-scaled."""
    rng = np.random.default_rng(seed)
    shape, n_classes = (20, 4), 30
    targets = rng.integers(0, n_classes, size=shape)
    huge = rng.choice([-1e4, 0.0, 1e4], size=shape + (n_classes,)) + rng.uniform(-1, 1, shape + (n_classes,))
    huge[0, 0] = 1e4  # an exact tie over every class
    return [
        ("logits N(0, 3^2), (T, N, V) = (20, 4, 30)", 3.0 * rng.standard_normal(shape + (n_classes,)), targets),
        ("logits in {-1e4, 0, 1e4} + U(-1, 1), ties", huge, targets),
        ("logits N(0, 1e4^2)", 1e4 * rng.standard_normal(shape + (n_classes,)), targets),
    ]


def main():
    print(f"rnn_lesson against torch {torch.__version__}, float64, numpy {np.__version__}")
    failed = []
    print(f"\noptimizers, {STEPS} steps on {len(SHAPES)} parameters:")
    for name, make_ours, make_torch in OPTIMIZERS:
        worst, scale = compare_optimizer(make_ours, make_torch)
        print(f"  {name:<24} max |ours - torch| = {worst:.1e}   (max |param| {scale:.1f})")
        if worst > 1e-12 * max(scale, 1.0):
            failed.append(name)
    print("\nsoftmax_cross_entropy vs F.cross_entropy (mean over positions):")
    with np.errstate(all="raise"):  # an overflow or a NaN in our function would stop here
        for name, logits, targets in cross_entropy_cases():
            loss_diff, grad_diff, loss = compare_cross_entropy(logits, targets)
            print(f"  {name:<44} loss {loss:.6g}: |diff| = {loss_diff:.1e};  dlogits max |diff| = {grad_diff:.1e}")
            if loss_diff > 1e-12 * max(loss, 1.0) or grad_diff > 1e-12:
                failed.append(name)
    print("\nall agree" if not failed else f"\nDIFFERENT: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
