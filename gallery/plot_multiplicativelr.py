"""
MultiplicativeLR
================

Multiplies the current learning rate by the factor your own function returns, at every scheduler
step: a constant factor gives an exponential decay.
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
# The function returns a factor of the previous learning rate.
scheduler = torch.optim.lr_scheduler.MultiplicativeLR(optimizer, lr_lambda=lambda step: 0.9)

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
# The same function in LambdaLR
# -----------------------------
# ``LambdaLR`` reads the factor as a fraction of the initial learning rate, ``MultiplicativeLR``
# as a fraction of the previous one: the same ``lambda step: 0.9`` gives a flat line in one and an
# exponential decay in the other.
def run(scheduler_class):
    sweep_model = torch.nn.Linear(2, 1)
    sweep_optimizer = torch.optim.SGD(sweep_model.parameters(), lr=LEARNING_RATE, momentum=0.9)
    sweep_scheduler = scheduler_class(sweep_optimizer, lr_lambda=lambda step: 0.9)
    sweep = []
    for step in range(EPOCHS * STEPS_IN_EPOCH):
        sweep_optimizer.step()
        sweep.append(sweep_optimizer.param_groups[0]["lr"])
        sweep_scheduler.step()
    return sweep


fig, ax = plt.subplots()
for scheduler_class in (torch.optim.lr_scheduler.LambdaLR, torch.optim.lr_scheduler.MultiplicativeLR):
    ax.plot(run(scheduler_class), marker="o", label=scheduler_class.__name__)
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend()
plt.show()
