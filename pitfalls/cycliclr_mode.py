import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-3, mode="cosine")
# %% fix
import math

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# A shape of your own: scale_fn scales each cycle's amplitude
# zh: 自定义形状：scale_fn 缩放每个周期的振幅
scheduler = torch.optim.lr_scheduler.CyclicLR(
    optimizer, base_lr=1e-4, max_lr=1e-3, scale_fn=lambda cycle: 0.5 ** (cycle - 1), scale_mode="cycle"
)
