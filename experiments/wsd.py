"""Warmup-stable-decay: cooldowns branched from one constant run.

Claim (Hägele et al., "Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations",
2024): a constant learning rate with a short cooldown (the last 20% of the steps, linearly to 0)
matches a cosine tuned to the same length, and one constant run serves every length: branch a
cooldown off it wherever you want a model. Here each WSD arm reruns the constant phase instead of
copying it; the runs are deterministic, so the arms of one seed share that phase bit for bit,
which is what branching would give.
"""

import torch

import task

LENGTHS = (400, 800, 1600)
PEAK = 0.01
WARMUP = 40
COOLDOWN = 0.2  # the share of each length spent cooling down
SEEDS = range(5)
ARMS = {f"{shape} {length}": {"shape": shape, "length": length} for shape in ("WSD", "cosine") for length in LENGTHS}


def run(arm: str, seed: int, stop: int | None = None) -> dict:
    shape, length = ARMS[arm]["shape"], ARMS[arm]["length"]
    net = task.model(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=PEAK)
    rise = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP)
    if shape == "WSD":
        cool = int(length * COOLDOWN)
        stable = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)
        decay = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=cool)
        phases, milestones = [rise, stable, decay], [WARMUP, length - cool]
    else:
        phases = [rise, torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=length - WARMUP)]
        milestones = [WARMUP]
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, phases, milestones=milestones)
    return task.train(net, optimizer, task.batches(seed), length, after_step=lambda step: scheduler.step(), stop=stop)


if __name__ == "__main__":
    task.report(__doc__.splitlines()[0], ARMS, SEEDS, run)
