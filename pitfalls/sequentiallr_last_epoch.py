import torch


def build(last_epoch=-1):
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=8)
    decay = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=24, eta_min=1e-5)
    scheduler = torch.optim.lr_scheduler.SequentialLR(
        optimizer, schedulers=[warmup, decay], milestones=[8], last_epoch=last_epoch
    )
    return optimizer, scheduler


def train(optimizer, scheduler, steps, lrs):
    for step in range(steps):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()


lrs = []
optimizer, scheduler = build()
train(optimizer, scheduler, 6, lrs)
state = scheduler.state_dict()

# After a restart: a fresh optimizer, and last_epoch=5
# zh: 程序重启之后：新建的优化器，加上 last_epoch=5
optimizer, scheduler = build(last_epoch=5)
train(optimizer, scheduler, 26, lrs)
# %% fix
import torch


def build(last_epoch=-1):
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=8)
    decay = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=24, eta_min=1e-5)
    scheduler = torch.optim.lr_scheduler.SequentialLR(
        optimizer, schedulers=[warmup, decay], milestones=[8], last_epoch=last_epoch
    )
    return optimizer, scheduler


def train(optimizer, scheduler, steps, lrs):
    for step in range(steps):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()


lrs = []
optimizer, scheduler = build()
train(optimizer, scheduler, 6, lrs)
state = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}

optimizer, scheduler = build()
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
train(optimizer, scheduler, 26, lrs)
