"""
ChainedScheduler
================

Steps several schedulers together at every call, so their effects multiply: here a constant
factor of 0.5 for the first 8 steps on top of an exponential decay.
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
# Both sub-schedulers are built on the same optimizer; each call to ``scheduler.step()`` steps
# both of them, in this order.
constant = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=0.5, total_iters=8)
exponential = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.95)
scheduler = torch.optim.lr_scheduler.ChainedScheduler([constant, exponential], optimizer=optimizer)

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
# Each scheduler alone, and the two chained
# -----------------------------------------
# The chained curve is the product of the two: 0.5 times 0.95 to the power of the step for the
# first 8 steps, then 0.95 to the power of the step alone.


def run(make_scheduler):
    sweep_optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=LEARNING_RATE, momentum=0.9)
    sweep_scheduler = make_scheduler(sweep_optimizer)
    sweep = []
    for step in range(EPOCHS * STEPS_IN_EPOCH):
        sweep_optimizer.step()
        sweep.append(sweep_optimizer.param_groups[0]["lr"])
        sweep_scheduler.step()
    return sweep


def constant_lr(opt):
    return torch.optim.lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=8)


def exponential_lr(opt):
    return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)


def chained(opt):
    return torch.optim.lr_scheduler.ChainedScheduler([constant_lr(opt), exponential_lr(opt)], optimizer=opt)


fig, ax = plt.subplots()
curves = {"ConstantLR": constant_lr, "ExponentialLR": exponential_lr, "ChainedScheduler": chained}
for label, make_scheduler in curves.items():
    ax.plot(run(make_scheduler), marker="o", label=label)
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.grid(axis="x")
ax.legend()
plt.show()
