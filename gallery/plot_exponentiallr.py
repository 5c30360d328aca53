"""
ExponentialLR
=============

Multiplies the learning rate by ``gamma`` at every scheduler step: a geometric decay.
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
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)

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
# Effect of gamma
# ---------------
# The same run for several values of ``gamma``, on a logarithmic lr axis, where an
# exponential decay is a straight line.
fig, ax = plt.subplots()
for gamma in (0.5, 0.8, 0.9, 0.95):
    sweep_model = torch.nn.Linear(2, 1)
    sweep_optimizer = torch.optim.SGD(sweep_model.parameters(), lr=LEARNING_RATE, momentum=0.9)
    sweep_scheduler = torch.optim.lr_scheduler.ExponentialLR(sweep_optimizer, gamma=gamma)
    sweep = []
    for step in range(EPOCHS * STEPS_IN_EPOCH):
        sweep_optimizer.step()
        sweep.append(sweep_optimizer.param_groups[0]["lr"])
        sweep_scheduler.step()
    ax.plot(sweep, marker="o", label=f"gamma={gamma}")
ax.set(xlabel="step", ylabel="lr", yscale="log", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend()
plt.show()
