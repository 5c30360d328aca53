import io

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda step: 0.95**step)
torch.save({"optimizer": optimizer, "scheduler": scheduler}, io.BytesIO())
# %% fix
import io

import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda step: 0.95**step)
# state_dict() leaves the lambda out; the resumed run passes it to the constructor again
# zh: state_dict() 不含 lambda；恢复训练时，再把它传给构造函数
torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, io.BytesIO())
