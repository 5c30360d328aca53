import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=[1e-4, 1e-5], max_lr=1e-3)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# One value per parameter group, or one number for all of them
# zh: 每个参数组一个值，或者用一个数同时作用于所有参数组
scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=[1e-4], max_lr=1e-3)
