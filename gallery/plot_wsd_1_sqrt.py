"""
Warmup-stable-decay with the 1-sqrt cooldown
============================================

A ``LambdaLR`` that warms up from 0 over 4 steps, holds the peak, and in the last 8 steps cools
down as ``1 - sqrt`` of the cooldown's progress, to 0 one step after the run; the linear and
cosine cooldowns of the same length are drawn beside it.
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
# No built-in scheduler has the ``1 - sqrt`` shape, so one ``LambdaLR`` draws the whole schedule,
# as a factor of the initial learning rate. Its defaults hold the settings, so the function stands
# on its own: ``w`` warmup steps, ``n`` training steps, the last ``d`` of them the cooldown. The
# warmup is ``step / w``, which is 0 at step 0 (``LinearLR`` cannot start at 0).
from torch.optim.lr_scheduler import LambdaLR

scheduler = LambdaLR(
    optimizer, lr_lambda=lambda step, w=4, n=32, d=8: step / w if step < w else 1 - math.sqrt(min(1, max(0, step - n + d) / d))
)

# %%
# Run
# ---
# Step the scheduler once per batch: ``n`` counts these calls.
lrs = []
for epoch in range(EPOCHS):
    for batch in range(STEPS_IN_EPOCH):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()

# %%
# The linear and cosine cooldowns
# -------------------------------
# The same warmup and the same stable phase, with the cooldown's factor ``1 - x`` (linear) or
# ``(1 + cos(pi x)) / 2`` (cosine) in place of ``1 - sqrt(x)``, each on a fresh optimizer.
other_cooldowns = {
    "linear": lambda step, w=4, n=32, d=8: step / w if step < w else 1 - min(1, max(0, step - n + d) / d),
    "cosine": lambda step, w=4, n=32, d=8: (
        step / w if step < w else 0.5 * (1 + math.cos(math.pi * min(1, max(0, step - n + d) / d)))
    ),
}
other_lrs = {}
for name, lr_lambda in other_cooldowns.items():
    other_optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=LEARNING_RATE, momentum=0.9)
    other_scheduler = LambdaLR(other_optimizer, lr_lambda=lr_lambda)
    other_lrs[name] = []
    for step in range(EPOCHS * STEPS_IN_EPOCH):
        other_optimizer.step()
        other_lrs[name].append(other_optimizer.param_groups[0]["lr"])
        other_scheduler.step()

# %%
# Plot
# ----
fig, ax = plt.subplots()
ax.plot(lrs, marker="o", label="1-sqrt", zorder=3)
for name, values in other_lrs.items():
    ax.plot(values, marker=".", linestyle="--", label=name)
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend()
plt.show()
