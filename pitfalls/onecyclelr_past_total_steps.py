# explorer: scheduler=OneCycleLR&max_lr=0.001&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, epochs=4, steps_per_epoch=8)

for step in range(4 * 8 + 1):
    optimizer.step()
    scheduler.step()
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, epochs=4, steps_per_epoch=8)

for epoch in range(4):
    for batch in range(8):
        optimizer.step()
        scheduler.step()
