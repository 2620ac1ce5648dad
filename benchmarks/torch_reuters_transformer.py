"""keras-io's text-classification Transformer recipe on Reuters top-10 in PyTorch-CPU: the twin of
keras_reuters_transformer.py, with Keras's initializers and attention sizes (2 heads of key_dim 32 projected back
to 32, so not torch's nn.MultiheadAttention, whose heads split the width) and the same parameter count (337,926).
Usage (from the anchors folder, with torch installed):  python torch_reuters_transformer.py EPOCHS BATCH
"""

import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.getcwd())  # the anchors folder, where compare.py runs this: its reuters.py
from reuters import load  # noqa: E402
from torch_timing import train_and_time  # noqa: E402

MAXLEN, VOCAB, EMBED_DIM, HEADS, FF_DIM, CLASSES = 200, 10000, 32, 2, 32, 10


class KerasSizedAttention(nn.Module):
    """Multi-head self-attention with `heads` heads of `key_dim` each, as keras.layers.MultiHeadAttention."""

    def __init__(self, dim, heads, key_dim):
        super().__init__()
        self.heads, self.key_dim = heads, key_dim
        self.query, self.key, self.value = (nn.Linear(dim, heads * key_dim) for _ in range(3))
        self.output = nn.Linear(heads * key_dim, dim)

    def forward(self, x):
        batch, steps, _ = x.shape

        def split(t):
            return t.view(batch, steps, self.heads, self.key_dim).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        weights = torch.softmax(q @ k.transpose(-1, -2) / self.key_dim**0.5, dim=-1)
        return self.output((weights @ v).transpose(1, 2).reshape(batch, steps, -1))


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, EMBED_DIM)
        self.positions = nn.Embedding(MAXLEN, EMBED_DIM)
        self.attention = KerasSizedAttention(EMBED_DIM, HEADS, EMBED_DIM)
        self.feed_forward = nn.Sequential(nn.Linear(EMBED_DIM, FF_DIM), nn.ReLU(), nn.Linear(FF_DIM, EMBED_DIM))
        self.norm_1 = nn.LayerNorm(EMBED_DIM, eps=1e-6)
        self.norm_2 = nn.LayerNorm(EMBED_DIM, eps=1e-6)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Sequential(
            nn.Dropout(0.1), nn.Linear(EMBED_DIM, 20), nn.ReLU(), nn.Dropout(0.1), nn.Linear(20, CLASSES)
        )

        for module in self.modules():  # Keras's initializers: uniform(-0.05, 0.05) embeddings, Glorot kernels
            if isinstance(module, nn.Embedding):
                nn.init.uniform_(module.weight, -0.05, 0.05)
            elif isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, ids):
        x = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
        x = self.norm_1(x + self.dropout(self.attention(x)))
        x = self.norm_2(x + self.dropout(self.feed_forward(x)))
        return self.head(x.mean(dim=1))


def main():
    epochs, batch = int(sys.argv[1]), int(sys.argv[2])
    torch.manual_seed(int(os.environ.get("SEED", "0")))
    (x_tr, y_tr), (x_te, y_te), _ = load(num_words=VOCAB, maxlen=MAXLEN)
    ntrain = int(os.environ.get("NTRAIN", len(x_tr)))
    x_tr, y_tr = torch.tensor(x_tr[:ntrain], dtype=torch.long), torch.tensor(y_tr[:ntrain], dtype=torch.long)
    x_te, y_te = torch.tensor(x_te, dtype=torch.long), torch.tensor(y_te, dtype=torch.long)
    model = Transformer()
    result = train_and_time(model, (x_tr, y_tr), (x_te, y_te), epochs, batch, "transformer")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
