# explorer: scheduler=OneCycleLR&max_lr=0.001&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=epoch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
epochs, batches = 4, 8
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, epochs=epochs, steps_per_epoch=batches)

lrs = []
for epoch in range(epochs):
    for batch in range(batches):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    scheduler.step()  # once per epoch
    # zh: 每个 epoch 只调用一次
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
epochs, batches = 4, 8
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, epochs=epochs, steps_per_epoch=batches)

lrs = []
for epoch in range(epochs):
    for batch in range(batches):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
