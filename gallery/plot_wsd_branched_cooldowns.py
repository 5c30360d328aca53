"""
Cooldowns branched from one constant run
========================================

One run warms up from 0 and then holds the peak; checkpoints taken during it start three
1-sqrt cooldowns, for trainings of 16, 24 and 32 steps, each cooling down over its last quarter.
"""

# %%
# Setup
# -----
# A one-layer model and SGD with momentum: the same start for every example.
import copy
import math

import matplotlib.pyplot as plt
import torch

LEARNING_RATE = 1e-3
EPOCHS = 4
STEPS_IN_EPOCH = 8
BRANCHES = {16: 4, 24: 6, 32: 8}  # training steps: cooldown steps, the last quarter of each

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

# %%
# Scheduler
# ---------
# The constant run: a warmup from 0 over ``w`` steps, then the peak for as long as it runs. It
# needs no end: that is the point of warmup-stable-decay.
from torch.optim.lr_scheduler import LambdaLR

scheduler = LambdaLR(optimizer, lr_lambda=lambda step, w=4: min(1.0, step / w))

# %%
# Run
# ---
# Step the scheduler once per batch, and keep a checkpoint (model and optimizer) where each
# cooldown branches off: ``n - d`` steps into the run.
lrs = []
checkpoints = {}
for epoch in range(EPOCHS):
    for batch in range(STEPS_IN_EPOCH):
        step = epoch * STEPS_IN_EPOCH + batch
        for n, d in BRANCHES.items():
            if step == n - d:
                checkpoints[n] = copy.deepcopy({"model": model.state_dict(), "optimizer": optimizer.state_dict()})
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()

# %%
# The cooldowns
# -------------
# Each branch loads its checkpoint into a fresh model and optimizer and cools down with a
# ``LambdaLR`` of its own: ``1 - sqrt(step / d)``, from the peak at its step 0 down to 0 at step
# ``d``, after its last training step. The loaded optimizer keeps ``initial_lr``, so the factor
# multiplies the peak.
cooldown_lrs = {}
for n, d in BRANCHES.items():
    branch_model = torch.nn.Linear(2, 1)
    branch_model.load_state_dict(checkpoints[n]["model"])
    branch_optimizer = torch.optim.SGD(branch_model.parameters(), lr=LEARNING_RATE, momentum=0.9)
    branch_optimizer.load_state_dict(checkpoints[n]["optimizer"])
    cooldown = LambdaLR(branch_optimizer, lr_lambda=lambda step, d=d: 1 - math.sqrt(step / d))
    cooldown_lrs[n] = []
    for step in range(d):
        branch_optimizer.step()
        cooldown_lrs[n].append(branch_optimizer.param_groups[0]["lr"])
        cooldown.step()

# %%
# Plot
# ----
fig, ax = plt.subplots()
ax.plot(lrs, marker="o", label="constant", zorder=3)
for n, values in cooldown_lrs.items():
    ax.plot(range(n - len(values), n), values, marker="o", linestyle="--", label=f"n = {n}")
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend(loc="center left", bbox_to_anchor=(0.12, 0.4))  # under the peak, clear of every curve
plt.show()
