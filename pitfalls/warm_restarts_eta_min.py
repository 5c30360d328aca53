import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
config = {"eta_min": "1e-5"}  # as PyYAML reads eta_min: 1e-5 (a string: YAML 1.1 wants 1.0e-5)
# zh: PyYAML 读取 eta_min: 1e-5 得到的就是字符串（YAML 1.1 要写成 1.0e-5）
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=8, eta_min=config["eta_min"])
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
config = {"eta_min": "1e-5"}
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=8, eta_min=float(config["eta_min"]))
