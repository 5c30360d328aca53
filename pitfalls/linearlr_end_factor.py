# explorer: scheduler=LinearLR&start_factor=0.5&end_factor=2&total_iters=8&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# From 5e-4 up to 2e-3
# zh: 从 5e-4 升到 2e-3
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.5, end_factor=2.0, total_iters=8)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
# The peak is the optimizer's lr; the factors are fractions of it
# zh: 峰值写在优化器的 lr 里，因子是它的几分之几
optimizer = torch.optim.SGD(model.parameters(), lr=2e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, end_factor=1.0, total_iters=8)
