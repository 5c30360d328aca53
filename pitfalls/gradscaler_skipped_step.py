# heading: page
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
scaler = torch.amp.GradScaler("cpu")

# The first loss overflows, as an fp16 loss often does at GradScaler's first scale
# zh: 第一个损失溢出，fp16 训练在 GradScaler 的初始缩放下常常如此
for loss_factor in (float("inf"), 1.0, 1.0):
    loss = model(torch.ones(1, 2)).sum() * loss_factor
    scaler.scale(loss).backward()
    scaler.step(optimizer)  # skipped: the gradients hold inf
    # zh: 被跳过：梯度中有 inf
    scaler.update()
    optimizer.zero_grad()
    scheduler.step()
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
scaler = torch.amp.GradScaler("cpu")

for loss_factor in (float("inf"), 1.0, 1.0):
    loss = model(torch.ones(1, 2)).sum() * loss_factor
    scaler.scale(loss).backward()
    scale = scaler.get_scale()
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad()
    # GradScaler lowers its scale exactly when it skipped optimizer.step()
    # zh: GradScaler 恰好在跳过 optimizer.step() 时降低缩放值
    if scaler.get_scale() >= scale:
        scheduler.step()
