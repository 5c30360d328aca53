import io

import torch


def build():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
    return model, optimizer, scheduler


# The first run: 6 steps, then a checkpoint (a file in a real run)
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
