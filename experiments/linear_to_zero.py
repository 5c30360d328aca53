"""Linear decay to zero against cosine to 10%.

Claim (Bergsma et al., "Straight to Zero: Why Linearly Decaying the Learning Rate to Zero Works
Best for LLMs", 2025): after a warmup, decaying linearly to 0 beats the common cosine to 10% of
the peak. Both arms warm up over WARMUP steps to the same peak, with Adam.
"""

import torch

import task

STEPS = 1000
PEAK = 0.01
WARMUP = 50
SEEDS = range(5)
ARMS = {"linear to 0": {"end": 0.0, "shape": "linear"}, "cosine to 10%": {"end": 0.1, "shape": "cosine"}}


def run(arm: str, seed: int, stop: int | None = None) -> dict:
    end, shape = ARMS[arm]["end"], ARMS[arm]["shape"]
    net = task.model(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=PEAK)
    rise = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP)
    if shape == "linear":
        decay = torch.optim.lr_scheduler.LinearLR(optimizer, 1.0, end_factor=end, total_iters=STEPS - WARMUP)
    else:
        decay = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=STEPS - WARMUP, eta_min=end * PEAK)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [rise, decay], milestones=[WARMUP])
    return task.train(net, optimizer, task.batches(seed), STEPS, after_step=lambda step: scheduler.step(), stop=stop)


if __name__ == "__main__":
    task.report(__doc__.splitlines()[0], ARMS, SEEDS, run)
