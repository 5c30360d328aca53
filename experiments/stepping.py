"""Stepping per batch or per epoch, and OneCycleLR against a constant rate.

Claims: stepping a cosine once per epoch instead of once per batch is a staircase that follows the
curve only when there are many epochs; with few, it never comes down far. A T_max counted in epochs
but stepped every batch (a common bug) runs many cosine cycles instead of one. And OneCycleLR (Smith and Topin,
"Super-Convergence", 2018) against a constant learning rate with the same budget of steps.
A fixed training set of SAMPLES samples seen EPOCHS times (few epochs of a large set, so that the
network does not overfit it), Adam.
"""

import torch

import task

SAMPLES = 8192
EPOCHS = 4
STEPS_IN_EPOCH = SAMPLES // task.BATCH
STEPS = EPOCHS * STEPS_IN_EPOCH
PEAK = 0.01
SEEDS = range(5)
ARMS = {
    "cosine, per batch": {},
    "cosine, per epoch": {},
    "cosine, T_max in epochs, per batch (bug)": {},
    "OneCycleLR, max_lr 0.01": {},
    "constant 0.01": {},
    "constant 0.001": {},
}


def run(arm: str, seed: int, stop: int | None = None) -> dict:
    net = task.model(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001 if arm == "constant 0.001" else PEAK)
    scheduler, every = None, 1
    if arm == "cosine, per batch":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=STEPS)
    elif arm == "cosine, per epoch":
        scheduler, every = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS), STEPS_IN_EPOCH
    elif arm == "cosine, T_max in epochs, per batch (bug)":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
    elif arm.startswith("OneCycleLR"):
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=PEAK, total_steps=STEPS)

    def after_step(step):
        if scheduler and (step + 1) % every == 0:
            scheduler.step()

    return task.train(net, optimizer, task.epochs(seed, SAMPLES), STEPS, after_step=after_step, stop=stop)


if __name__ == "__main__":
    task.report(__doc__.splitlines()[0], ARMS, SEEDS, run)
