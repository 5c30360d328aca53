import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=8)
batches = 4

for epoch in range(-1, 3):  # counted from -1, as last_epoch is
    # zh: 从 -1 开始计数，和 last_epoch 一样
    for batch in range(batches):
        optimizer.step()
        scheduler.step(epoch + batch / batches)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=8)
batches = 4

for epoch in range(4):
    for batch in range(batches):
        optimizer.step()
        scheduler.step()  # one call per batch: T_0 counts batches
        # zh: 每个批次调用一次：T_0 按批次计
