"""The notes' LSTM block (§1.3) on Reuters top-10 in PyTorch-CPU: the twin of ../shared/anchors/tf_reuters_lstm.py.

Same split and encoding (the anchors' reuters.py), Embedding(10000, 64) -> LSTM(128) -> Linear(10),
Adam(lr 1e-3, eps 1e-7), cross-entropy. Usage (from the anchors folder, with torch installed):
  python /path/to/benchmarks/torch_reuters_lstm.py EPOCHS BATCH     (prints one JSON line)
"""

import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.getcwd())  # the anchors folder, where compare.py runs this: its reuters.py
from reuters import load  # noqa: E402
from torch_timing import train_and_time  # noqa: E402


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
    result = train_and_time(model, (x_tr, y_tr), (x_te, y_te), epochs, batch, "reuters_lstm")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
