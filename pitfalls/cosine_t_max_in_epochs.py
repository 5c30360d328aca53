# explorer: scheduler=CosineAnnealingLR&T_max=4&eta_min=0.0001&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
epochs, batches = 4, 8
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs, eta_min=1e-4)

lrs = []
for epoch in range(epochs):
    for batch in range(batches):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()  # per batch, with a horizon counted in epochs
        # zh: 按批次调用，周期长度却按 epoch 计
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
epochs, batches = 4, 8
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * batches, eta_min=1e-4)

lrs = []
for epoch in range(epochs):
    for batch in range(batches):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
