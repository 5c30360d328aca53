import torch

# The first run: 6 steps of StepLR, which halves the learning rate at step 4
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
for step in range(6):
    optimizer.step()
    scheduler.step()
print(f"first run, step 6:      lr {optimizer.param_groups[0]['lr']:.1e}")

# An optimizer that holds initial_lr: last_epoch is accepted, but the lr is not recomputed
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
optimizer.param_groups[0]["initial_lr"] = 1e-3
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5, last_epoch=5)
print(f"last_epoch=5, step 6:   lr {optimizer.param_groups[0]['lr']:.1e}")

# A fresh optimizer, as after a restart: last_epoch is refused
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5, last_epoch=5)
