"""
timm's MultiStepLRScheduler
===========================

timm's ``MultiStepLRScheduler``, rebuilt from PyTorch's own schedulers: a linear warmup over 4
steps from a hundredth of the initial learning rate, then ``MultiStepLR`` halves the learning
rate one step before each of timm's milestones 10, 20 and 26.
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
DECAY_T = [10, 20, 26]
DECAY_RATE = 0.5

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

# %%
# Scheduler
# ---------
# The warmup is a ``LambdaLR`` (``warmup_lr_init`` may be 0, where ``LinearLR`` cannot start),
# with ``w`` the ``WARMUP_T`` and ``r`` the ``warmup_lr_init`` over the initial learning rate.
# timm applies a milestone ``m`` at ``t == m - 1`` (its own comment calls this its historical
# convention), one step before ``MultiStepLR`` would: hence ``m - 1``. With timm's default
# ``warmup_prefix=True`` the milestones count from the end of the warmup, as ``MultiStepLR``
# does from its ``SequentialLR`` milestone.
from torch.optim.lr_scheduler import LambdaLR, MultiStepLR, SequentialLR

warmup = LambdaLR(optimizer, lr_lambda=lambda step, w=4, r=0.01: r + step * (1 - r) / w)
decay = MultiStepLR(optimizer, milestones=[m - 1 for m in DECAY_T], gamma=DECAY_RATE)
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
