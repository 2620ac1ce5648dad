"""BatchedDataset: the PyDataset the dataset utilities return, (x, y) batches (or x alone) for fit/evaluate/predict."""

import math

import numpy as np

from npkeras.utils.py_dataset import PyDataset


class BatchedDataset(PyDataset):
    """Batches of `batch_size` samples in order; x is an array (or a loader from a list of indices to an array),
    y an array or None. batch_size=None yields one sample per index, as an unbatched Keras dataset does.
    With `reshuffle_seed`, the samples come in a new order after every epoch (on_epoch_end), as a shuffled
    Keras dataset reshuffles on each pass; the first epoch keeps the given order.
    `class_names` and `file_paths` are set by the functions that list directories."""

    def __init__(self, x, y=None, batch_size=32, load=None, length=None, reshuffle_seed=None):
        super().__init__()
        self._x, self._y, self._load = x, y, load
        self.batch_size = batch_size
        self._n = len(x) if length is None else length
        self._order = None
        self._rng = None if reshuffle_seed is None else np.random.default_rng(reshuffle_seed)
        self.class_names = None

    def on_epoch_end(self):
        if self._rng is not None:
            self._order = self._rng.permutation(self._n)

    def __len__(self):
        if self.batch_size is None:
            return self._n
        return math.ceil(self._n / self.batch_size)

    def _take(self, index):
        if self._load is not None:
            return self._load(index)
        return self._x[index]

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for a dataset of {len(self)} batches.")
        index %= len(self)
        if self.batch_size is None:
            rows = np.asarray([index])
        else:
            rows = np.arange(index * self.batch_size, min((index + 1) * self.batch_size, self._n))
        if self._order is not None:
            rows = self._order[rows]
        x = self._take(rows)
        if self.batch_size is None:
            return x[0] if self._y is None else (x[0], self._y[rows[0]])
        return x if self._y is None else (x, self._y[rows])

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    @property
    def cardinality(self):
        return len(self)
