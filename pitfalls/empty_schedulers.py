import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
phases = []  # built from a configuration that listed none
# zh: 由一份没有列出任何调度器的配置生成
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=phases, milestones=[])
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
phases = [torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)]
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=phases, milestones=[])
