import io

import torch


def build():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=32, eta_min=1e-4)
    return model, optimizer, scheduler


def train(optimizer, scheduler, steps, lrs):
    for step in range(steps):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()


lrs = []
model, optimizer, scheduler = build()
train(optimizer, scheduler, 16, lrs)
checkpoint = io.BytesIO()
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, checkpoint)

# After a restart
# zh: 程序重启之后
model, optimizer, scheduler = build()
checkpoint.seek(0)
state = torch.load(checkpoint)
model.load_state_dict(state["model"])
optimizer.load_state_dict(state["optimizer"])
# the scheduler's state is not loaded
# zh: 没有加载调度器的状态
train(optimizer, scheduler, 16, lrs)
# %% fix
import io

import torch


def build():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=32, eta_min=1e-4)
    return model, optimizer, scheduler


def train(optimizer, scheduler, steps, lrs):
    for step in range(steps):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()


lrs = []
model, optimizer, scheduler = build()
train(optimizer, scheduler, 16, lrs)
checkpoint = io.BytesIO()
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, checkpoint)

# After a restart
# zh: 程序重启之后
model, optimizer, scheduler = build()
checkpoint.seek(0)
state = torch.load(checkpoint)
model.load_state_dict(state["model"])
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
train(optimizer, scheduler, 16, lrs)
