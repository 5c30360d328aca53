# explorer: scheduler=ConstantLR&factor=2&total_iters=8&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# Twice the learning rate for the first 8 steps
# zh: 前 8 步用两倍的学习率
scheduler = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=2.0, total_iters=8)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
# The high learning rate is the optimizer's; ConstantLR lowers it after 8 steps
# zh: 高学习率写在优化器里，8 步之后由 ConstantLR 降下来
optimizer = torch.optim.SGD(model.parameters(), lr=2e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[8], gamma=0.5)
