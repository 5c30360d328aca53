# explorer: scheduler=OneCycleLR&max_lr=0.001&pct_start=30&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, epochs=4, steps_per_epoch=8, pct_start=30)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# A fraction of the run, not a percentage
# zh: 占整个训练的比例，不是百分数
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, epochs=4, steps_per_epoch=8, pct_start=0.3)
