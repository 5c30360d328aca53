"""Warmup at a high peak learning rate with Adam.

Claim (Kalra and Barkeshli, "Why Warmup the Learning Rate?", 2024): a linear warmup lets a
network train at a peak learning rate at which it would otherwise fail. Every arm decays with a
cosine to 0 after its peak; the warmup arms first rise linearly over WARMUP steps.

The arms are a sweep of peaks at two batch sizes. At the batch of the other experiments (32), the
gradient noise at a high peak wrecks the network with or without warmup. At 256 the noise is lower,
so the trained network tolerates a higher peak, and what remains at risk are Adam's first steps,
which move every weight by about the full learning rate: what a warmup avoids.
"""

import torch

import task

STEPS = 1000
WARMUP = 100
SEEDS = range(5)
PEAKS = {32: (0.01, 0.1, 0.3), 256: (0.01, 0.03, 0.1, 0.2, 0.3)}  # batch size: peaks swept
ARMS = {
    f"batch {batch}, peak {peak}, {'warmup' if warmup else 'no warmup'}": {"batch": batch, "peak": peak, "warmup": warmup}
    for batch, peaks in PEAKS.items()
    for peak in peaks
    for warmup in (0, WARMUP)
}


def run(arm: str, seed: int, stop: int | None = None) -> dict:
    batch, peak, warmup = ARMS[arm]["batch"], ARMS[arm]["peak"], ARMS[arm]["warmup"]
    net = task.model(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=peak)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=STEPS - warmup)
    if warmup:
        rise = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / warmup, total_iters=warmup)
        scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [rise, cosine], milestones=[warmup])
    else:
        scheduler = cosine
    data = task.batches(seed, batch)
    return task.train(net, optimizer, data, STEPS, after_step=lambda step: scheduler.step(), stop=stop)


if __name__ == "__main__":
    task.report(__doc__.splitlines()[0], ARMS, SEEDS, run)
