import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=8)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=3)
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, plateau], milestones=[8])
# %% fix
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=8)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=3)

for epoch in range(16):
    optimizer.step()
    validation_loss = 1.0  # no progress: the plateau scheduler will halve the lr
    # zh: 没有进展：ReduceLROnPlateau 会把学习率减半
    if epoch < 8:
        warmup.step()
    else:
        plateau.step(validation_loss)
print(f"lr after 16 epochs: {optimizer.param_groups[0]['lr']:.2e}")
