# toc: ValueError: … expects number of schedulers provided to be one more than the number of milestone points
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=8)
decay = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=24)
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[8, 32])
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=8)
decay = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=24)
# A milestone is where the next scheduler takes over: one fewer than the schedulers
# zh: 里程碑是下一个调度器接手的步，比调度器少一个
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[8])
