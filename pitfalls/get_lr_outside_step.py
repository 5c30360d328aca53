import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)

optimizer.step()
print("lr in effect:", scheduler.get_lr())
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)

optimizer.step()
print("lr in effect:", scheduler.get_last_lr())
assert scheduler.get_last_lr() == [optimizer.param_groups[0]["lr"]]
