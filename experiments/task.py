"""The task every experiment trains: a small network learns a fixed random "teacher" network.

Why this task: the data is generated (nothing to download), every training batch is fresh (one pass
over an endless stream, the regime in which the papers behind these experiments study schedules), and
the labels carry noise, so plain stochastic gradient noise keeps the loss above its floor until the
learning rate comes down. That is exactly what a schedule controls, so schedules visibly matter here.
It is a toy: 16 inputs, a 3-layer MLP, a few thousand steps. It illustrates; it does not replicate.

The error reported is the mean squared error against the noiseless teacher on a fixed held-out set
(the "excess" error: 0 is perfect, the label noise is not counted).
"""

import math

import torch
from torch import nn

DIM = 16  # inputs
HIDDEN = 64  # width of the student's two hidden layers
BATCH = 32
NOISE = 0.5  # standard deviation of the label noise
EVAL_SIZE = 2048
EVAL_EVERY = 25  # steps between two measurements of the held-out error


def deterministic() -> None:
    """Bit-for-bit the same numbers on every run with this torch on this kind of CPU: one thread,
    deterministic kernels. Another torch or another CPU may change the last digits (docs/evidence.md
    says so), so no conclusion rests on them."""
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


_TEACHER = torch.Generator().manual_seed(0)
_W1 = torch.randn(DIM, 32, generator=_TEACHER) * (2 / math.sqrt(DIM))
_W2 = torch.randn(32, 1, generator=_TEACHER) / math.sqrt(32)


def teacher(x: torch.Tensor) -> torch.Tensor:
    """One fixed random network (seed 0 for every run): the function to learn."""
    return torch.tanh(x @ _W1) @ _W2


def held_out() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1_000_000)
    x = torch.randn(EVAL_SIZE, DIM, generator=g)
    return x, teacher(x)


def model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(DIM, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))


def batches(seed: int, size: int = BATCH):
    """The endless stream of noisy training batches of one seed (the same for every arm of a seed,
    so arms are compared on the same data)."""
    g = torch.Generator().manual_seed(seed)
    while True:
        x = torch.randn(size, DIM, generator=g)
        yield x, teacher(x) + NOISE * torch.randn(size, 1, generator=g)


def epochs(seed: int, size: int):
    """A fixed training set of `size` samples, reshuffled every epoch: the stream of its batches."""
    x, y = next(batches(seed, size))
    g = torch.Generator().manual_seed(seed + 1)
    while True:
        order = torch.randperm(size, generator=g)
        for start in range(0, size, BATCH):
            batch = order[start : start + BATCH]
            yield x[batch], y[batch]


@torch.no_grad()
def error(net: nn.Module, data) -> float:
    x, y = data
    return nn.functional.mse_loss(net(x), y).item()


def train(net, optimizer, data, steps, *, after_step=None, stop=None, evaluate=None):
    """Train for `steps` batches (or only the first `stop`); return the training losses and the
    held-out error every EVAL_EVERY steps. A loss that is not finite ends the run: it diverged.

    after_step(step) runs after each optimizer.step() (the scheduler's step goes there);
    evaluate(net) measures the held-out error (schedule-free AdamW needs optimizer.eval() around it).
    """
    test = held_out()
    evaluate = evaluate or (lambda net: error(net, test))
    losses, errors = [], [evaluate(net)]
    for step in range(stop or steps):
        x, y = next(data)
        loss = nn.functional.mse_loss(net(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if after_step:
            after_step(step)
        if not math.isfinite(losses[-1]):
            break
        if (step + 1) % EVAL_EVERY == 0:
            errors.append(evaluate(net))
    return {"losses": losses, "errors": errors}


def report(name: str, arms, seeds, run) -> None:
    """Run every arm with every seed and print the final held-out error (python <experiment>.py)."""
    deterministic()
    print(name)
    for arm in arms:
        finals = [run(arm, seed)["errors"][-1] for seed in seeds]
        print(f"  {arm:<34} " + " ".join(f"{final:.4f}" for final in finals))
