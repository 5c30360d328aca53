import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=0, min_lr=[1e-6])
head = torch.nn.Linear(1, 1)
optimizer.add_param_group({"params": head.parameters(), "lr": 1e-2})  # after the scheduler
# zh: 在创建调度器之后添加

for validation_loss in (1.0, 1.0):
    optimizer.step()
    scheduler.step(validation_loss)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
head = torch.nn.Linear(1, 1)
optimizer.add_param_group({"params": head.parameters(), "lr": 1e-2})  # before the scheduler
# zh: 在创建调度器之前添加
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=0, min_lr=[1e-6, 1e-6])

for validation_loss in (1.0, 1.0):
    optimizer.step()
    scheduler.step(validation_loss)
print([group["lr"] for group in optimizer.param_groups])
