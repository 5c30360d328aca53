"""
timm's StepLRScheduler
======================

timm's ``StepLRScheduler``, rebuilt from PyTorch's own schedulers: a linear warmup over 4 steps
from a hundredth of the initial learning rate, then ``StepLR`` halves the learning rate every 8
steps.
"""

# %%
# Setup
# -----
# A one-layer model and SGD with momentum: the same start for every example. The schedule's
# settings carry timm's names.
import matplotlib.pyplot as plt
import torch

LEARNING_RATE = 1e-3
EPOCHS = 4
STEPS_IN_EPOCH = 8
WARMUP_T = 4
DECAY_T = 8
DECAY_RATE = 0.5

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

# %%
# Scheduler
# ---------
# timm's warmup climbs from ``warmup_lr_init``, which may be 0, where ``LinearLR`` cannot start:
# a ``LambdaLR`` draws it, with ``w`` the ``WARMUP_T`` and ``r`` the ``warmup_lr_init`` over the
# initial learning rate, as its defaults. With timm's default ``warmup_prefix=True`` the decay
# counts from the end of the warmup, as ``StepLR`` does from its milestone.
from torch.optim.lr_scheduler import LambdaLR, SequentialLR, StepLR

warmup = LambdaLR(optimizer, lr_lambda=lambda step, w=4, r=0.01: r + step * (1 - r) / w)
decay = StepLR(optimizer, step_size=DECAY_T, gamma=DECAY_RATE)
scheduler = SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[WARMUP_T])

# %%
# Run
# ---
# Step the scheduler once per batch, as timm does with ``t_in_epochs=False``.
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
