"""
Warmup from exactly zero
========================

A ``LambdaLR`` whose factor is ``step / 8`` for the first 8 steps: the learning rate is exactly 0
at step 0 and reaches the initial learning rate at step 8. ``LinearLR`` cannot start at 0; its
closest start, ``start_factor=1 / 8``, is drawn beside it.
"""

# %%
# Setup
# -----
# A one-layer model and SGD with momentum: the same start for every example.
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
# ``LinearLR(optimizer, start_factor=0.0)`` raises a ``ValueError``: its factor must be above 0.
# ``LambdaLR`` takes any factor, 0 included; ``w`` is the number of warmup steps, and ``min``
# holds the factor at 1 after them.
from torch.optim.lr_scheduler import LambdaLR, LinearLR

scheduler = LambdaLR(optimizer, lr_lambda=lambda step, w=8: min(1.0, step / w))

# %%
# Run
# ---
# Step the scheduler once per batch.
lrs = []
for epoch in range(EPOCHS):
    for batch in range(STEPS_IN_EPOCH):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()

# %%
# LinearLR from its closest start
# -------------------------------
# The same 8 steps with ``LinearLR``, on a fresh optimizer: it starts at ``1 / 8`` of the initial
# learning rate, not at 0.
linear_optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=LEARNING_RATE, momentum=0.9)
linear = LinearLR(linear_optimizer, start_factor=1 / 8, total_iters=8)
linear_lrs = []
for step in range(EPOCHS * STEPS_IN_EPOCH):
    linear_optimizer.step()
    linear_lrs.append(linear_optimizer.param_groups[0]["lr"])
    linear.step()

# %%
# Plot
# ----
fig, ax = plt.subplots()
ax.plot(lrs, marker="o", label="LambdaLR", zorder=3)
ax.plot(linear_lrs, marker=".", linestyle="--", label="LinearLR")
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend()
plt.show()
