"""Schedule-free AdamW against AdamW with warmup and cosine.

Claim (Defazio et al., "The Road Less Scheduled", 2024): schedule-free AdamW, which needs no decay
schedule and no run length, matches or beats AdamW with a tuned warmup and cosine. Its caveat: the
weights it trains at are not the weights to evaluate. Call optimizer.eval() before measuring (and
optimizer.train() before training again); the "train mode" series measures without doing so.
"""

import schedulefree
import torch

import task

STEPS = 1000
WARMUP = 50
SEEDS = range(5)
ARMS = {
    "AdamW, warmup + cosine, lr 0.01": {"optimizer": "AdamW", "lr": 0.01},
    "schedule-free AdamW, lr 0.01": {"optimizer": "schedule-free", "lr": 0.01},
    "schedule-free AdamW, lr 0.03": {"optimizer": "schedule-free", "lr": 0.03},
}


def run(arm: str, seed: int, stop: int | None = None) -> dict:
    lr = ARMS[arm]["lr"]
    net = task.model(seed)
    test = task.held_out()
    if ARMS[arm]["optimizer"] == "AdamW":
        optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=0.0)
        rise = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP)
        cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=STEPS - WARMUP)
        scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [rise, cosine], milestones=[WARMUP])
        return task.train(net, optimizer, task.batches(seed), STEPS, after_step=lambda step: scheduler.step(), stop=stop)
    optimizer = schedulefree.AdamWScheduleFree(net.parameters(), lr=lr, warmup_steps=WARMUP, weight_decay=0.0)
    train_mode = []

    def evaluate(net):
        train_mode.append(task.error(net, test))  # the mistake: measured at the training weights
        optimizer.eval()  # swap in the averaged weights, the ones to use
        measured = task.error(net, test)
        optimizer.train()
        return measured

    optimizer.train()
    result = task.train(net, optimizer, task.batches(seed), STEPS, stop=stop, evaluate=evaluate)
    return {**result, "train_mode_errors": train_mode}


if __name__ == "__main__":
    task.report(__doc__.splitlines()[0], ARMS, SEEDS, run)
