# explorer: scheduler=CosineAnnealingLR&T_max=16&eta_min=0.0001&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=16, eta_min=1e-4)

lrs = []
for step in range(32):
    optimizer.step()
    lrs.append(optimizer.param_groups[0]["lr"])
    scheduler.step()
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
steps = 32  # every call to scheduler.step() in the run
# zh: 整个训练中 scheduler.step() 的调用次数
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps, eta_min=1e-4)

lrs = []
for step in range(steps):
    optimizer.step()
    lrs.append(optimizer.param_groups[0]["lr"])
    scheduler.step()
