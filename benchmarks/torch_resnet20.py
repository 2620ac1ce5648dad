"""ResNet-20 on Fashion-MNIST padded to 32x32 in PyTorch-CPU: the twin of examples/classic_models.py resnet20.

Same layout as npkeras.applications.ResNet20 (bias-free convolutions: a 3x3 stem, three stages of three
basic blocks with 16/32/64 filters, 1x1 projection shortcuts where the shape changes, Keras's
BatchNormalization momentum 0.99 and epsilon 1.001e-5), Adam(1e-3, eps 1e-7) with a cosine decay to 0,
batch BATCH, the first 54,000 training images. Prints one JSON line per epoch: time, training samples/s
and test accuracy.
Usage (from the anchors folder, with torch installed): python /path/to/benchmarks/torch_resnet20.py EPOCHS BATCH
Environment: NTRAIN (training images, default 54000).
"""

import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.getcwd())  # the anchors folder: its fmnist.py
from fmnist import load  # noqa: E402


def batch_norm(channels):
    return nn.BatchNorm2d(channels, eps=1.001e-5, momentum=0.01)  # Keras's momentum 0.99


class BasicBlock(nn.Module):
    def __init__(self, channels_in, channels, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(channels_in, channels, 3, stride, 1, bias=False), batch_norm(channels)
        self.conv2, self.bn2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False), batch_norm(channels)
        projection = stride != 1 or channels_in != channels
        self.shortcut = (
            nn.Sequential(nn.Conv2d(channels_in, channels, 1, stride, bias=False), batch_norm(channels))
            if projection
            else None
        )

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


def resnet20():
    layers, channels_in = [nn.Conv2d(1, 16, 3, 1, 1, bias=False), batch_norm(16), nn.ReLU()], 16
    for stage, channels in enumerate((16, 32, 64)):
        for block in range(3):
            layers.append(BasicBlock(channels_in, channels, 2 if block == 0 and stage > 0 else 1))
            channels_in = channels
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def to_32x32(images):
    return torch.tensor(np.pad(images.astype(np.float32) / 255.0, ((0, 0), (2, 2), (2, 2)))[:, None])


epochs, batch = int(sys.argv[1]), int(sys.argv[2])
ntrain = int(os.environ.get("NTRAIN", "54000"))
torch.manual_seed(0)
(x_train, y_train), (x_test, y_test) = load()
x_train, y_train = to_32x32(x_train[:ntrain]), torch.tensor(y_train[:ntrain], dtype=torch.long)
x_test, y_test = to_32x32(x_test), torch.tensor(y_test, dtype=torch.long)
model = resnet20()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
steps, step = epochs * math.ceil(ntrain / batch), 0
for epoch in range(epochs):
    start, order = time.perf_counter(), torch.randperm(ntrain)
    model.train()
    for i in range(0, ntrain, batch):
        for group in optimizer.param_groups:
            group["lr"] = 1e-3 * 0.5 * (1 + math.cos(math.pi * step / steps))
        rows = order[i : i + batch]
        optimizer.zero_grad()
        F.cross_entropy(model(x_train[rows]), y_train[rows]).backward()
        optimizer.step()
        step += 1
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        correct = sum(
            (model(x_test[i : i + 500]).argmax(1) == y_test[i : i + 500]).sum().item() for i in range(0, 10000, 500)
        )
    record = {"lib": "torch", "model": "resnet20", "epoch": epoch + 1, "batch": batch, "ntrain": ntrain}
    record |= {"threads": torch.get_num_threads(), "epoch_s": round(seconds, 1)}
    print(
        json.dumps({**record, "train_samples_per_s": round(ntrain / seconds, 1), "test_acc": correct / 10000}),
        flush=True,
    )
