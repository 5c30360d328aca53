# recorded: transformers
import torch
from transformers import get_scheduler

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scheduler = get_scheduler("warmup_stable_decay", optimizer, num_warmup_steps=100, num_training_steps=1000)
# %% fix
import torch
from transformers import get_scheduler

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
# Through Trainer: TrainingArguments(lr_scheduler_kwargs={"num_decay_steps": 200})
# zh: 通过 Trainer 时：TrainingArguments(lr_scheduler_kwargs={"num_decay_steps": 200})
scheduler = get_scheduler(
    "warmup_stable_decay", optimizer, num_warmup_steps=100, num_training_steps=1000,
    scheduler_specific_kwargs={"num_decay_steps": 200},
)
