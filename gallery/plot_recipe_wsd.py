"""
Warmup-stable-decay, WSD (transformers)
=======================================

transformers' ``get_wsd_schedule``, built from PyTorch's own schedulers: the learning rate climbs
linearly over 4 steps, stays at the initial learning rate, and in the last 8 steps follows half a
cosine down to a tenth of it.
"""

# %%
# Setup
# -----
# A one-layer model and SGD with momentum: the same start for every example. The schedule's
# settings carry transformers' names; they count optimizer steps (batches), not epochs.
import matplotlib.pyplot as plt
import torch

LEARNING_RATE = 1e-3
EPOCHS = 4
STEPS_IN_EPOCH = 8
NUM_WARMUP_STEPS = 4
NUM_DECAY_STEPS = 8
NUM_TRAINING_STEPS = EPOCHS * STEPS_IN_EPOCH
MIN_LR_RATIO = 0.1
NUM_CYCLES = 0.5

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

# %%
# Scheduler
# ---------
# The warmup climbs from ``MIN_LR_RATIO`` times the initial learning rate; for the default ratio
# of 0, ``LinearLR`` could not start there (its ``start_factor`` must be above 0). So
# ``ConstantLR`` holds step 0, then ``LinearLR`` climbs from the value of step 1 and keeps the
# initial learning rate through the stable phase, until the decay takes over. ``x or 1`` is
# transformers' ``max(1, x)``: it keeps 0 and 1 warmup steps from dividing by 0.
from torch.optim.lr_scheduler import ConstantLR, CosineAnnealingLR, LinearLR, SequentialLR

zero = ConstantLR(optimizer, factor=MIN_LR_RATIO, total_iters=1)
warmup = LinearLR(
    optimizer,
    start_factor=MIN_LR_RATIO + (1 - MIN_LR_RATIO) / (NUM_WARMUP_STEPS or 1),
    total_iters=NUM_WARMUP_STEPS - 1 or 1,
)
decay = CosineAnnealingLR(
    optimizer, T_max=(NUM_DECAY_STEPS or 1) / (2 * NUM_CYCLES), eta_min=MIN_LR_RATIO * LEARNING_RATE
)
scheduler = SequentialLR(
    optimizer,
    schedulers=[zero, warmup, decay],
    milestones=[NUM_WARMUP_STEPS and 1, NUM_TRAINING_STEPS - NUM_DECAY_STEPS],
)

# %%
# Run
# ---
# Step the scheduler once per batch, as transformers' ``Trainer`` does: ``NUM_TRAINING_STEPS``
# counts these calls.
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
