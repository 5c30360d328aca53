"""
timm's PolyLRScheduler
======================

timm's ``PolyLRScheduler``, rebuilt as one PyTorch ``LambdaLR``: a linear warmup over 4 steps
from a hundredth of the initial learning rate, then two polynomial decays of 12 steps with
``power=0.5``, the second from half the peak, each towards a hundredth of the initial learning
rate, which then holds.
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
# ``PolynomialLR`` decays to 0 once; it has no floor (``lr_min``), no cycles and no ``k_decay``,
# so one ``LambdaLR`` draws timm's formula, as a factor of the initial learning rate. Its
# defaults are the settings, by timm's names; ``warmup_ratio`` and ``min_ratio`` are timm's
# ``warmup_lr_init`` and ``lr_min`` divided by the initial learning rate. ``u`` is the time the
# decay sees (after the warmup if ``warmup_prefix``), ``i`` the cycle it falls in.
from torch.optim.lr_scheduler import LambdaLR

scheduler = LambdaLR(
    optimizer,
    lr_lambda=lambda t, t_initial=12, power=0.5, cycle_mul=1.0, cycle_decay=0.5, cycle_limit=2, k_decay=1.0, warmup_t=4, warmup_ratio=0.01, warmup_prefix=True, min_ratio=0.01: (
        warmup_ratio + t * (1 - warmup_ratio) / warmup_t if t < warmup_t
        else min_ratio if (
            i := math.floor(math.log(1 - (u := t - warmup_t if warmup_prefix else t) / t_initial * (1 - cycle_mul), cycle_mul))
            if cycle_mul != 1 else (u := t - warmup_t if warmup_prefix else t) // t_initial
        ) >= cycle_limit
        else min_ratio + (cycle_decay**i - min_ratio) * (1 - (
            u - ((1 - cycle_mul**i) / (1 - cycle_mul) * t_initial if cycle_mul != 1 else t_initial * i)
        ) ** k_decay / (cycle_mul**i * t_initial) ** k_decay) ** power
    ),
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
