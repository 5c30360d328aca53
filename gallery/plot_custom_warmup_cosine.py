"""
Custom scheduler (LRScheduler subclass)
=======================================

A scheduler of your own: subclass ``LRScheduler`` and compute the learning rate of each step in
``get_lr()``. Here a linear warmup from 0 over 8 steps, then a cosine annealing to ``eta_min``.
"""

# %%
# Setup
# -----
# A one-layer model and SGD with momentum: the same start for every example.
import math

import matplotlib.pyplot as plt
import torch

LEARNING_RATE = 1e-3
EPOCHS = 4
STEPS_IN_EPOCH = 8

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

# %%
# Scheduler
# ---------
# The attributes are set before ``super().__init__()``, which already calls ``get_lr()`` once.
# ``get_lr()`` is a closed form of ``self.last_epoch`` and ``self.base_lrs``.


class WarmupCosineLR(torch.optim.lr_scheduler.LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, total_steps: int, eta_min: float = 0.0, last_epoch: int = -1):
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        step = self.last_epoch
        if step < self.warmup_steps:
            return [base_lr * step / self.warmup_steps for base_lr in self.base_lrs]
        progress = (min(step, self.total_steps) - self.warmup_steps) / (self.total_steps - self.warmup_steps)
        return [
            self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * progress)) / 2
            for base_lr in self.base_lrs
        ]


scheduler = WarmupCosineLR(optimizer, warmup_steps=8, total_steps=32, eta_min=1e-5)

# %%
# Run
# ---
# Record the learning rate in effect at each step, then advance the schedule.
lrs = []
for step in range(EPOCHS * STEPS_IN_EPOCH):
    optimizer.step()
    lrs.append(optimizer.param_groups[0]["lr"])
    scheduler.step()

# %%
# Plot
# ----
fig, ax = plt.subplots()
ax.plot(lrs, marker="o")
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
plt.show()
