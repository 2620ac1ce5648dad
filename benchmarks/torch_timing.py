"""The PyTorch twins' shared training and timing loop: Adam (lr 1e-3, eps 1e-7, Keras's), cross-entropy,
a fresh shuffle per epoch, test accuracy at batch 256; the result as the JSON the other scripts print."""

import time

import torch
from torch import nn


def train_and_time(model, train, test, epochs, batch, name):
    """Train `model` on the (ids, labels) `train` tensors and return compare.py's result dict."""
    (x_tr, y_tr), (x_te, y_te) = train, test
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        perm = torch.randperm(len(x_tr))
        model.train()
        for i in range(0, len(x_tr), batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss_fn(model(x_tr[idx]), y_tr[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - start)
    model.eval()
    start = time.perf_counter()
    with torch.no_grad():
        correct = sum(
            int((model(x_te[i : i + 256]).argmax(1) == y_te[i : i + 256]).sum()) for i in range(0, len(x_te), 256)
        )
    eval_s = time.perf_counter() - start
    return {
        "lib": "torch",
        "model": name,
        "epochs": epochs,
        "batch": batch,
        "ntrain": len(x_tr),
        "ntest": len(x_te),
        "params": sum(p.numel() for p in model.parameters()),
        "epoch_s": [round(t, 3) for t in times],
        "test_acc": round(correct / len(x_te), 4),
        "eval_s": round(eval_s, 3),
        "train_samples_per_s": round(len(x_tr) / min(times), 1),
    }
