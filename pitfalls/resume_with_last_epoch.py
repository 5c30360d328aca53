import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# After a restart: a fresh optimizer, and the step reached by the first run
# zh: 程序重启之后：新建的优化器，加上第一次运行到达的步数
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5, last_epoch=5)
# %% fix
import io

import torch


def build():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
    return model, optimizer, scheduler


# The first run: 6 steps, then a checkpoint (a file in a real run)
# zh: 第一次运行：6 步之后保存检查点（实际训练中是一个文件）
model, optimizer, scheduler = build()
for step in range(6):
    optimizer.step()
    scheduler.step()
checkpoint = io.BytesIO()
torch.save(
    {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
    checkpoint,
)

# The resumed run: build everything as before, then load the three states
# zh: 恢复的运行：按原样重新创建三者，再加载各自的状态
model, optimizer, scheduler = build()
checkpoint.seek(0)
state = torch.load(checkpoint)
model.load_state_dict(state["model"])
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
print(f"resumed at step {scheduler.last_epoch}: lr {optimizer.param_groups[0]['lr']:.1e}")
for step in range(6, 8):
    optimizer.step()
    scheduler.step()
print(f"two steps later, step {scheduler.last_epoch}: lr {optimizer.param_groups[0]['lr']:.1e}")
