import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ChainedScheduler([], optimizer=optimizer)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ChainedScheduler(
    [torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)], optimizer=optimizer
)
