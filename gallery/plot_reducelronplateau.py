"""
ReduceLROnPlateau
=================

Multiplies the learning rate by ``factor`` when a monitored metric has stopped improving for more
than ``patience`` steps, then waits ``cooldown`` steps before it starts counting again.
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
# The schedule follows a metric: here a made-up validation loss with three plateaus, one value
# per step, so that the run is the same every time.
VALIDATION_LOSS = [
    0.650, 0.625, 0.606, 0.592, 0.580, 0.576, 0.583, 0.575,
    0.579, 0.560, 0.548, 0.538, 0.535, 0.540, 0.533, 0.537,
    0.534, 0.539, 0.536, 0.533, 0.541, 0.534, 0.522, 0.514,
    0.507, 0.505, 0.509, 0.503, 0.498, 0.496, 0.500, 0.495,
]

scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
    optimizer, mode="min", factor=0.5, patience=3, threshold=1e-2, cooldown=2
)

# %%
# Run
# ---
# Record the learning rate in effect and the metric at each step, then hand the metric to the
# scheduler. ``scheduler.best`` is the best value seen so far.
lrs, metrics, bests = [], [], []
for step in range(EPOCHS * STEPS_IN_EPOCH):
    optimizer.step()
    metric = VALIDATION_LOSS[step]
    lrs.append(optimizer.param_groups[0]["lr"])
    metrics.append(metric)
    scheduler.step(metric)
    bests.append(scheduler.best)

# %%
# Plot
# ----
# Top: the metric, the running best and the band a new value must get below to count as an
# improvement; a triangle marks each step after which the learning rate was reduced. The shaded
# spans are the tolerated steps without improvement (``patience``) and the ``cooldown`` steps.
steps = range(EPOCHS * STEPS_IN_EPOCH)
reduced = [step - 1 for step in steps[1:] if lrs[step] < lrs[step - 1]]

fig, (ax_metric, ax) = plt.subplots(2, 1, sharex=True, figsize=(7.2, 5.4), height_ratios=(3, 2))
ax_metric.plot(metrics, marker="o", label="metrics")
ax_metric.plot(bests, drawstyle="steps-post", label="best")
ax_metric.fill_between(
    steps,
    [best * (1 - scheduler.threshold) for best in bests],
    bests,
    step="post",
    alpha=0.3,
    label=f"threshold={scheduler.threshold}",
)
ax_metric.plot(
    reduced, [metrics[step] for step in reduced], linestyle="none", marker="v", markersize=10,
    label=f"factor={scheduler.factor}",
)
for step in reduced:
    first = step == reduced[0]
    for axis in (ax_metric, ax):
        axis.axvspan(
            step - scheduler.patience - 0.5, step - 0.5, color="tab:red", alpha=0.12,
            label=f"patience={scheduler.patience}" if first else None,
        )
        axis.axvspan(
            step + 0.5, step + scheduler.cooldown + 0.5, color="tab:green", alpha=0.12,
            label=f"cooldown={scheduler.cooldown}" if first else None,
        )
ax_metric.set(ylabel="metric")
ax_metric.legend(ncols=2)
ax_metric.secondary_xaxis("top", functions=(lambda s: s / STEPS_IN_EPOCH, lambda e: e * STEPS_IN_EPOCH)).set(
    xlabel="epoch", xticks=range(EPOCHS + 1)
)
ax.plot(lrs, marker="o")
ax.set(xlabel="step", ylabel="lr", xticks=range(0, EPOCHS * STEPS_IN_EPOCH + 1, STEPS_IN_EPOCH))
for axis in (ax_metric, ax):
    axis.grid(axis="x")
plt.show()
