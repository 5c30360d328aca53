import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
train_loader, accumulation = range(3), 4  # 3 batches, the optimizer steps every 4
# zh: 3 个批次，优化器每 4 个批次更新一次
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=1e-3, epochs=4, steps_per_epoch=len(train_loader) // accumulation
)
# %% fix
import math

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
train_loader, accumulation = range(3), 4
# The last, shorter group of batches also ends in optimizer.step(): round up
# zh: 最后不足 accumulation 个的那组批次同样以 optimizer.step() 收尾：向上取整
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=1e-3, epochs=4, steps_per_epoch=math.ceil(len(train_loader) / accumulation)
)
