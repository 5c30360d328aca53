"""A cosine whose length does not match the run.

Claim (Hoffmann et al., "Training Compute-Optimal Large Language Models", 2022, the Chinchilla
paper): a cosine cycle longer than the run leaves the model worse than one that ends with the run.
Both arms train for STEPS steps with Adam; one cosine has T_max = STEPS, the other T_max = 2 * STEPS,
so it stops halfway down, at half the peak learning rate.
"""

import torch

import task

STEPS = 1000
PEAK = 0.01
SEEDS = range(5)
ARMS = {"T_max = run": {"t_max": STEPS}, "T_max = 2 x run": {"t_max": 2 * STEPS}}


def run(arm: str, seed: int, stop: int | None = None) -> dict:
    net = task.model(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=PEAK)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=ARMS[arm]["t_max"])
    return task.train(net, optimizer, task.batches(seed), STEPS, after_step=lambda step: scheduler.step(), stop=stop)


if __name__ == "__main__":
    task.report(__doc__.splitlines()[0], ARMS, SEEDS, run)
