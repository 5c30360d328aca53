"""
Warmup + cosine with hard restarts (transformers)
=================================================

transformers' ``get_cosine_with_hard_restarts_schedule_with_warmup``, built from PyTorch's own
schedulers: the learning rate climbs linearly from 0 over 8 steps, then falls along a cosine
towards 0 three times, jumping back to the initial learning rate at each restart.
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
NUM_WARMUP_STEPS = 8
NUM_TRAINING_STEPS = EPOCHS * STEPS_IN_EPOCH
NUM_CYCLES = 3

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

# %%
# Scheduler
# ---------
# The warmup starts at 0, where ``LinearLR`` cannot start (its ``start_factor`` must be above 0):
# ``ConstantLR`` with factor 0 holds step 0, then ``LinearLR`` climbs from
# ``1 / NUM_WARMUP_STEPS``. ``x or 1`` is transformers' ``max(1, x)``: it keeps 0 and 1 warmup
# steps, and a warmup as long as the training, from dividing by 0.
# The steps after the warmup hold ``NUM_CYCLES`` cycles of ``T_0`` steps each: exact only when
# ``NUM_CYCLES`` divides them, since ``T_0`` is a whole number of steps.
from torch.optim.lr_scheduler import ConstantLR, CosineAnnealingWarmRestarts, LinearLR, SequentialLR

zero = ConstantLR(optimizer, factor=0.0, total_iters=1)
warmup = LinearLR(optimizer, start_factor=1 / (NUM_WARMUP_STEPS or 1), total_iters=NUM_WARMUP_STEPS - 1 or 1)
decay = CosineAnnealingWarmRestarts(optimizer, T_0=(NUM_TRAINING_STEPS - NUM_WARMUP_STEPS) // NUM_CYCLES or 1)
scheduler = SequentialLR(
    optimizer, schedulers=[zero, warmup, decay], milestones=[NUM_WARMUP_STEPS and 1, NUM_WARMUP_STEPS]
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
