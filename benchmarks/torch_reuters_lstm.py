"""The notes' LSTM block (§1.3) on Reuters top-10 in PyTorch-CPU: the twin of ../shared/anchors/tf_reuters_lstm.py.

Same split and encoding (the anchors' reuters.py), Embedding(10000, 64) -> LSTM(128) -> Linear(10),
Adam(lr 1e-3, eps 1e-7), cross-entropy. Usage (from the anchors folder, with torch installed):
  python /path/to/benchmarks/torch_reuters_lstm.py EPOCHS BATCH     (prints one JSON line)
"""

import json
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.getcwd())  # the anchors folder, where compare.py runs this: its reuters.py
from reuters import load  # noqa: E402


class NotesLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(10000, 64)
        self.lstm = nn.LSTM(64, 128, batch_first=True)
        self.dense = nn.Linear(128, 10)

    def forward(self, ids):
        outputs, _ = self.lstm(self.embedding(ids))
        return self.dense(outputs[:, -1])


def main():
    epochs, batch = int(sys.argv[1]), int(sys.argv[2])
    torch.manual_seed(0)
    (x_tr, y_tr), (x_te, y_te), _ = load()
    x_tr, y_tr = torch.tensor(x_tr, dtype=torch.long), torch.tensor(y_tr, dtype=torch.long)
    x_te, y_te = torch.tensor(x_te, dtype=torch.long), torch.tensor(y_te, dtype=torch.long)
    model = NotesLSTM()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        t = time.perf_counter()
        perm = torch.randperm(len(x_tr))
        model.train()
        for i in range(0, len(x_tr), batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss_fn(model(x_tr[idx]), y_tr[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - t)
    model.eval()
    t = time.perf_counter()
    with torch.no_grad():
        correct = sum(
            int((model(x_te[i : i + 256]).argmax(1) == y_te[i : i + 256]).sum()) for i in range(0, len(x_te), 256)
        )
    eval_s = time.perf_counter() - t
    result = {
        "lib": "torch",
        "model": "reuters_lstm",
        "epochs": epochs,
        "batch": batch,
        "ntrain": len(x_tr),
        "ntest": len(x_te),
        "epoch_s": [round(t, 3) for t in times],
        "test_acc": round(correct / len(x_te), 4),
        "eval_s": round(eval_s, 3),
        "train_samples_per_s": round(len(x_tr) / min(times), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
