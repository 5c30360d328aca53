import types

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
original_step = optimizer.step


def counted_step(self, closure=None):
    counted_step.calls += 1
    return original_step(closure)


counted_step.calls = 0
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
optimizer.step = types.MethodType(counted_step, optimizer)  # replaced after the scheduler was created
# zh: 在创建调度器之后才替换

optimizer.step()
scheduler.step()
# %% fix
import types

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
original_step = optimizer.step


def counted_step(self, closure=None):
    counted_step.calls += 1
    return original_step(closure)


counted_step.calls = 0
optimizer.step = types.MethodType(counted_step, optimizer)  # replaced before the scheduler is created
# zh: 在创建调度器之前替换
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)

optimizer.step()
scheduler.step()
