# heading: page
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
accumulation, batches = 4, 128  # 32 optimizer steps
# zh: 共 32 次 optimizer.step()
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=batches // accumulation, eta_min=1e-4)

lrs = []
for batch in range(batches):
    if (batch + 1) % accumulation == 0:
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    scheduler.step()  # every batch, not every optimizer step
    # zh: 每个批次都调用，而不是每次 optimizer.step() 之后
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
accumulation, batches = 4, 128
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=batches // accumulation, eta_min=1e-4)

lrs = []
for batch in range(batches):
    if (batch + 1) % accumulation == 0:
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
