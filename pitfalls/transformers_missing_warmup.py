# recorded: transformers
import torch
from transformers import get_scheduler

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scheduler = get_scheduler("cosine", optimizer, num_training_steps=1000)
# %% fix
import torch
from transformers import get_scheduler

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scheduler = get_scheduler("cosine", optimizer, num_warmup_steps=100, num_training_steps=1000)
