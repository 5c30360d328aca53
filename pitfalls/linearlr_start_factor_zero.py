# explorer: scheduler=LinearLR&start_factor=0&total_iters=8&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.0, total_iters=8)
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# A warmup from exactly 0: the factor is 0 at step 0 and 1 from step 8 on
# zh: 从 0 开始预热：因子在第 0 步为 0，从第 8 步起为 1
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda step: min(1.0, step / 8))
assert optimizer.param_groups[0]["lr"] == 0.0
