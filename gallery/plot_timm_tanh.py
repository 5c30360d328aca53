"""
timm's TanhLRScheduler
======================

timm's ``TanhLRScheduler``, rebuilt as one PyTorch ``LambdaLR``: a hyperbolic-tangent decay of
28 steps towards a hundredth of the initial learning rate, which then holds; the first 4 steps
are a linear warmup from a hundredth of the initial learning rate, counted inside the 28
(``warmup_prefix=False``).
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
# No built-in scheduler follows a tanh, so one ``LambdaLR`` draws timm's formula, as a factor of
# the initial learning rate. Its defaults are the settings, by timm's names; ``warmup_ratio`` and
# ``min_ratio`` are timm's ``warmup_lr_init`` and ``lr_min`` divided by the initial learning
# rate. ``curve`` comes first: with ``warmup_prefix=False``, timm's warmup climbs to the curve's
# value at ``warmup_t``, not to the initial learning rate. ``u`` is the time the curve sees
# (``warmup_t`` during the warmup), ``i`` the cycle and ``r`` the fraction of it gone by.
from torch.optim.lr_scheduler import LambdaLR

scheduler = LambdaLR(
    optimizer,
    lr_lambda=lambda t, t_initial=28, lb=-7.0, ub=3.0, cycle_mul=1.0, cycle_decay=1.0, cycle_limit=1, warmup_t=4, warmup_ratio=0.01, warmup_prefix=False, min_ratio=0.01: (
        curve := min_ratio if (
            i := math.floor(math.log(1 - (u := max(t, warmup_t) - warmup_t if warmup_prefix else max(t, warmup_t)) / t_initial * (1 - cycle_mul), cycle_mul))
            if cycle_mul != 1 else (u := max(t, warmup_t) - warmup_t if warmup_prefix else max(t, warmup_t)) // t_initial
        ) >= cycle_limit
        else min_ratio + 0.5 * (cycle_decay**i - min_ratio) * (1 - math.tanh(
            lb * (1 - (r := (u - ((1 - cycle_mul**i) / (1 - cycle_mul) * t_initial if cycle_mul != 1 else t_initial * i)) / (cycle_mul**i * t_initial)))
            + ub * r
        )),
        warmup_ratio + t * ((1 if warmup_prefix else curve) - warmup_ratio) / warmup_t if t < warmup_t else curve,
    )[1],
)

# %%
# Run
# ---
# Step the scheduler once per batch, as timm does with ``t_in_epochs=False``: there, after each
# update, ``scheduler.step_update(num_updates)`` sets the learning rate of update ``num_updates``.
lrs = []
for epoch in range(EPOCHS):
    for batch in range(STEPS_IN_EPOCH):
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
