"""
CosineAnnealingWarmRestarts (T_mult=1)
======================================

Anneals the learning rate from its initial value towards ``eta_min`` along a cosine over ``T_0``
steps, then restarts; with ``T_mult=1`` every cycle has the same length.
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
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=8, T_mult=1, eta_min=1e-4)

# %%
# Run
# ---
# Record the learning rate in effect at each step, then advance the schedule.
lrs = []
for step in range(EPOCHS * STEPS_IN_EPOCH):
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

# %%
# Effect of T_mult
# ----------------
# The same run with ``T_mult=1`` and ``T_mult=2``: the second doubles the length of each cycle.
def run(T_mult):
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        optimizer, T_0=8, T_mult=T_mult, eta_min=1e-4
    )
    sweep = []
    for step in range(EPOCHS * STEPS_IN_EPOCH):
        optimizer.step()
        sweep.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
    return sweep


fig, ax = plt.subplots()
for T_mult in (1, 2):
    ax.plot(run(T_mult), marker="o", label=f"T_mult={T_mult}")
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend()
plt.show()
