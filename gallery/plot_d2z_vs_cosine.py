"""
Linear decay to zero against cosine to 10%
==========================================

After the same warmup from 0 and at the same peak, ``LinearLR`` decays the learning rate in a
straight line to 0 one step after the run (D2Z); ``CosineAnnealingLR`` with ``eta_min`` at a
tenth of the peak is drawn beside it.
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
WARMUP_STEPS = 4
TRAINING_STEPS = EPOCHS * STEPS_IN_EPOCH

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)

# %%
# Scheduler
# ---------
# A warmup from exactly 0 (``LambdaLR``: ``LinearLR`` cannot start at 0; ``w`` is
# ``WARMUP_STEPS``), then ``LinearLR`` from the peak (factor 1) to factor 0 over the remaining
# steps. ``end_factor=0.0`` is allowed: the learning rate reaches 0 at ``TRAINING_STEPS``, just
# after the last training step.
from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR, LinearLR, SequentialLR

warmup = LambdaLR(optimizer, lr_lambda=lambda step, w=4: min(1.0, step / w))
decay = LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=TRAINING_STEPS - WARMUP_STEPS)
scheduler = SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[WARMUP_STEPS])

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
# Cosine to 10% of the peak
# -------------------------
# The same warmup and length on a fresh optimizer, with ``CosineAnnealingLR`` in place of the
# linear decay: half a cosine down to ``eta_min``, a tenth of the peak.
cosine_optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=LEARNING_RATE, momentum=0.9)
cosine_warmup = LambdaLR(cosine_optimizer, lr_lambda=lambda step, w=4: min(1.0, step / w))
cosine_decay = CosineAnnealingLR(cosine_optimizer, T_max=TRAINING_STEPS - WARMUP_STEPS, eta_min=0.1 * LEARNING_RATE)
cosine = SequentialLR(cosine_optimizer, schedulers=[cosine_warmup, cosine_decay], milestones=[WARMUP_STEPS])
cosine_lrs = []
for step in range(TRAINING_STEPS):
    cosine_optimizer.step()
    cosine_lrs.append(cosine_optimizer.param_groups[0]["lr"])
    cosine.step()

# %%
# Plot
# ----
fig, ax = plt.subplots()
ax.plot(lrs, marker="o", label="D2Z", zorder=3)
ax.plot(cosine_lrs, marker=".", linestyle="--", label="10x")
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend()
plt.show()
