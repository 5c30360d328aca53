import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
warmup, decay = (lambda step: min(1.0, (step + 1) / 8)), (lambda step: 0.95**step)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=[warmup, decay])
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# One function per parameter group; to chain a warmup and a decay, compose them in one function
# zh: 每个参数组一个函数；预热接衰减要写进同一个函数
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda step: min(1.0, (step + 1) / 8) * 0.95**step)
