import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.Adagrad(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-3)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.Adagrad(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-3, cycle_momentum=False)
