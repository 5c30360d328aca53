"""Warmup at a high peak learning rate with Adam.

Claim (Kalra and Barkeshli, "Why Warmup the Learning Rate?", 2024): a linear warmup lets a
network train at a peak learning rate at which it would otherwise fail. Every arm decays with a
cosine to 0 after its peak; the warmup arms first rise linearly over WARMUP steps.
"""

import torch

import task

STEPS = 1000
WARMUP = 100
SEEDS = range(5)
ARMS = {
    f"peak {peak}, {'warmup' if warmup else 'no warmup'}": {"peak": peak, "warmup": warmup}
    for peak in (0.01, 0.1, 0.3)
    for warmup in (0, WARMUP)
}


def run(arm: str, seed: int, stop: int | None = None) -> dict:
    peak, warmup = ARMS[arm]["peak"], ARMS[arm]["warmup"]
    net = task.model(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=peak)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=STEPS - warmup)
    if warmup:
        rise = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / warmup, total_iters=warmup)
        scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [rise, cosine], milestones=[warmup])
    else:
        scheduler = cosine
    return task.train(net, optimizer, task.batches(seed), STEPS, after_step=lambda step: scheduler.step(), stop=stop)


if __name__ == "__main__":
    task.report(__doc__.splitlines()[0], ARMS, SEEDS, run)
