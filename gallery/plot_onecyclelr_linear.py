"""
OneCycleLR (linear)
===================

Warms the learning rate up to ``max_lr`` and anneals it down to far below its start along straight
lines, in a single cycle, while the momentum moves the opposite way.
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
# OneCycleLR sets the optimizer's lr and momentum itself, from ``max_lr`` and the momentum bounds.
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=1e-3, epochs=EPOCHS, steps_per_epoch=STEPS_IN_EPOCH, anneal_strategy="linear"
)

# %%
# Run
# ---
# Record the learning rate and momentum in effect at each step, then advance the schedule.
lrs, momentums = [], []
for step in range(EPOCHS * STEPS_IN_EPOCH):
    optimizer.step()
    lrs.append(optimizer.param_groups[0]["lr"])
    momentums.append(optimizer.param_groups[0]["momentum"])
    scheduler.step()

# %%
# Plot
# ----
fig, (ax, ax_momentum) = plt.subplots(2, 1, sharex=True, height_ratios=(2, 1))
ax.plot(lrs, marker="o")
ax.set(ylabel="lr")
ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax_momentum.plot(momentums, marker="o", color="tab:orange")
ax_momentum.set(xlabel="step", ylabel="momentum", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
for axis in (ax, ax_momentum):
    axis.grid(axis="x")
plt.show()
