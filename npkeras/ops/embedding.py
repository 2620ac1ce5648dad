"""Embedding lookup: rows of a table gathered by integer ids; backward scatter-adds by sorting."""

import numpy as np

from npkeras.autograd.function import Function


def scatter_add_rows(values, rows, num_rows):
    """A (num_rows, d) array whose row r is the sum of `values[i]` over every i with rows[i] == r.

    Sorting groups equal ids, so one `np.add.reduceat` sums each group (no `np.add.at`).
    """
    out = np.zeros((num_rows, values.shape[-1]), dtype=values.dtype)
    if rows.size == 0:
        return out
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_rows[1:] != sorted_rows[:-1])))
    out[sorted_rows[starts]] = np.add.reduceat(values[order], starts, axis=0)
    return out


class EmbeddingLookup(Function):
    """table[ids] for a constant array of ids; the gradient reaches the table only."""

    saved = ("ids", "num_rows")

    def __init__(self, ids):
        self.ids = ids

    def forward(self, table):
        self.num_rows = table.shape[0]
        return table.take(self.ids, axis=0)

    def backward(self, gy):
        return scatter_add_rows(gy.reshape(-1, gy.shape[-1]), self.ids.reshape(-1), self.num_rows)
