"""
LambdaLR
========

Sets the learning rate to the initial learning rate times a factor that your own function computes
from the step count: here a linear warmup followed by an inverse square-root decay.
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
# The function returns a factor of the initial learning rate, not a learning rate: it rises
# linearly to 1 over the first 8 steps, then decays as ``sqrt(8 / (step + 1))``.
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lr_lambda=lambda step: min((step + 1) / 8, (8 / (step + 1)) ** 0.5)
)

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
