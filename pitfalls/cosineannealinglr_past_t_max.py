import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=8, eta_min=1e-4)

for step in range(16):
    optimizer.step()
    print(f"step {step:2d}  lr {optimizer.param_groups[0]['lr']:.6f}")
    scheduler.step()
