"""Where fit/evaluate/predict get their batches: arrays cut by the loop, a PyDataset, or a generator."""

import inspect
import math
from collections.abc import Iterator

from npkeras.models import data_adapter
from npkeras.utils.py_dataset import PyDataset


def is_batch_stream(x):
    """A PyDataset (or any object with __len__ and __getitem__ that is not an array), or a generator."""
    return isinstance(x, PyDataset) or inspect.isgenerator(x) or isinstance(x, Iterator)


class ArrayBatches:
    def __init__(self, x, y, sample_weight, batch_size, steps=None):
        self.x, self.y, self.sample_weight, self.batch_size = x, y, sample_weight, batch_size
        self.steps = (
            math.ceil(len(x) / batch_size) if steps is None else min(int(steps), math.ceil(len(x) / batch_size))
        )

    def peek_x(self):
        return self.x

    def epoch(self, shuffle=False, rng=None):
        for idx in data_adapter.batches(len(self.x), self.batch_size, shuffle, rng)[: self.steps]:
            sw = None if self.sample_weight is None else self.sample_weight[idx]
            yield self.x[idx], None if self.y is None else self.y[idx], sw


class StreamBatches:
    """A PyDataset (batch order shuffled when asked) or a generator (read in order, `steps` batches an epoch)."""

    def __init__(self, data, steps, class_weight=None, role="fit"):
        self.data, self.class_weight = data, class_weight
        self._first = None
        if isinstance(data, PyDataset):
            length = len(data)
            self.steps = length if steps is None else min(int(steps), length)
        else:
            self.steps = None if steps is None else int(steps)
        if self.steps is not None and self.steps < 1:
            raise ValueError(f"{role}() received a data set with no batches.")

    def peek_x(self):
        """The first batch's x (to build the model); a generator's first batch is kept for the first epoch."""
        if isinstance(self.data, PyDataset):
            return self._unpack(self.data[0])[0]
        if self._first is None:
            try:
                self._first = next(self.data)
            except StopIteration:
                raise ValueError("The generator given as `x` yielded no batches.") from None
        return self._unpack(self._first)[0]

    def epoch(self, shuffle=False, rng=None):
        if isinstance(self.data, PyDataset):
            order = rng.permutation(self.steps) if shuffle else range(self.steps)
            for index in order:
                yield self._unpack(self.data[int(index)])
            self.data.on_epoch_end()
            return
        step = 0
        while self.steps is None or step < self.steps:
            if self._first is not None:
                batch, self._first = self._first, None
            else:
                try:
                    batch = next(self.data)
                except StopIteration:
                    if self.steps is not None:
                        raise ValueError(
                            f"The generator ran out of batches after {step} of the {self.steps} steps asked for; "
                            "make it loop forever or lower `steps_per_epoch`/`steps`."
                        ) from None
                    self.steps = step  # a finite generator: its length is one epoch
                    return
            step += 1
            yield self._unpack(batch)

    def _unpack(self, batch):
        if isinstance(batch, (tuple, list)) and 1 <= len(batch) <= 3:
            x, y, sw = (list(batch) + [None, None])[:3]
        else:
            x, y, sw = batch, None, None
        x, y, sw = data_adapter.prepare(x, y, sw)
        if y is not None:
            sw = data_adapter.apply_class_weight(y, sw, self.class_weight)
        return x, y, sw
