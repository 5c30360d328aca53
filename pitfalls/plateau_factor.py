# explorer: scheduler=ReduceLROnPlateau&factor=2&lr=0.001&momentum=0.9&epochs=32&steps_per_epoch=1&step_every=epoch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=2.0, patience=3)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# factor multiplies the learning rate: 0.5 halves it
# zh: factor 与学习率相乘：0.5 表示减半
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=3)
