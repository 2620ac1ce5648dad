"""EpochIterator: the batches fit/evaluate/predict feed their steps, from arrays, a PyDataset or a generator.

Each batch reaches the step as Keras packs it: x alone, (x, y) or (x, y, sample_weight), where x and
y are arrays or lists/dicts of arrays (several inputs or outputs).
"""

import inspect
import itertools
import math
import warnings
from collections.abc import Iterator

from npkeras.models import data_adapter
from npkeras.utils.py_dataset import PyDataset


def is_batch_stream(x):
    """A PyDataset or a generator (any iterator): data that comes in batches already."""
    return isinstance(x, PyDataset) or inspect.isgenerator(x) or isinstance(x, Iterator)


def check_steps(steps, argument):
    """`steps`, `steps_per_epoch` and `validation_steps`: None or a positive integer."""
    if steps is None:
        return None
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"`{argument}` must be a positive integer or None. Received: {argument}={steps!r}")
    return steps


class EpochIterator:
    """`epoch(shuffle, rng)` yields one epoch's batches; `num_batches` is None for a generator of unknown length.

    Arrays are checked once and sliced per batch; a stream's batches are checked as they come, and
    class weights become sample weights per batch. `counts` are the model's (inputs, outputs),
    None where the model does not say, which decide whether a list is one array or one per input.

    fit()'s `steps_per_epoch` over arrays or a PyDataset works as in Keras: each epoch takes the next
    `steps` batches of the pass under way (a generator's next batches, too); a pass that ends before
    the epoch does ends that epoch early, with Keras's warning, and the next epoch starts a new pass.
    evaluate() and predict() take the first `steps` batches of a pass.
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=32,
        steps=None,
        class_weight=None,
        counts=(1, 1),
        role="fit",
        steps_argument="steps_per_epoch",
    ):
        self.counts, self.class_weight, self.role = counts, class_weight, role
        steps = check_steps(steps, steps_argument)
        self._first = None
        self._continues = role == "fit" and steps is not None
        self._pass, self._left = None, 0  # the pass under way and its batches left (steps_per_epoch in fit)
        if is_batch_stream(x):
            self.data, self.arrays = x, None
            if isinstance(x, PyDataset):
                length = len(x)
                if length < 1:
                    raise ValueError(f"{role}() received a PyDataset with no batches (its __len__ is {length}).")
                self._set_num_batches(length, steps)
            else:
                self.num_batches = steps
            return
        x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, *counts)
        if class_weight:
            sample_weight = data_adapter.apply_class_weight(y, sample_weight, class_weight)
            data_adapter.warn_unused_class_weights(y, class_weight)
        total = data_adapter.num_samples(x)
        if total == 0:
            raise ValueError(f"{role}() received an empty data set: `x` holds 0 samples.")
        self.data, self.arrays, self.batch_size = None, (x, y, sample_weight), batch_size
        self._set_num_batches(math.ceil(total / batch_size), steps)

    def _set_num_batches(self, full, steps):
        self._full = full  # the batches of one pass
        self.num_batches = full if steps is None else steps if self._continues else min(steps, full)

    def first_batch(self):
        """The first batch's (x, y, sample_weight), to build the model; a generator's is kept for the first epoch."""
        if self.arrays is not None:
            x, y, sample_weight = self.arrays
            return x, y, sample_weight
        if isinstance(self.data, PyDataset):
            return self._checked(self.data[0])
        if self._first is None:
            try:
                self._first = next(self.data)
            except StopIteration:
                raise ValueError(f"The generator given to {self.role}() yielded no batches.") from None
        return self._checked(self._first)

    def epoch(self, shuffle=False, rng=None):
        if self.arrays is None and not isinstance(self.data, PyDataset):
            yield from self._generator_batches()
            return
        if self._continues:
            yield from self._continued_pass(shuffle, rng)
        else:
            yield from itertools.islice(self._one_pass(shuffle, rng), self.num_batches)
        if isinstance(self.data, PyDataset):
            self.data.on_epoch_end()

    def _continued_pass(self, shuffle, rng):
        if self._left == 0:
            self._pass, self._left = self._one_pass(shuffle, rng), self._full
        for _ in range(self.num_batches):
            if self._left == 0:
                warnings.warn(
                    "Your input ran out of data; interrupting training. Make sure that your dataset or generator "
                    "can generate at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` "
                    "function when building your dataset.",
                    stacklevel=2,
                )
                break
            self._left -= 1
            yield next(self._pass)

    def _one_pass(self, shuffle, rng):
        """Every batch once, in order or shuffled."""
        if isinstance(self.data, PyDataset):
            for index in rng.permutation(self._full) if shuffle else range(self._full):
                yield self._packed(self.data[int(index)])
            return
        x, y, sample_weight = self.arrays
        for index in data_adapter.batches(data_adapter.num_samples(x), self.batch_size, shuffle, rng):
            yield data_adapter.pack_x_y_sample_weight(
                data_adapter.take(x, index),
                None if y is None else data_adapter.take(y, index),
                None if sample_weight is None else data_adapter.take(sample_weight, index),
            )

    def _generator_batches(self):
        step = 0
        while self.num_batches is None or step < self.num_batches:
            if self._first is not None:
                batch, self._first = self._first, None
            else:
                try:
                    batch = next(self.data)
                except StopIteration:
                    if self.num_batches is not None:
                        raise ValueError(
                            f"The generator ran out of batches after {step} of the {self.num_batches} steps asked "
                            "for; make it loop forever or lower `steps_per_epoch`/`steps`."
                        ) from None
                    if step == 0:
                        raise ValueError(f"The generator given to {self.role}() yielded no batches.") from None
                    self.num_batches = step  # a finite generator: its length is one epoch
                    return
            step += 1
            yield self._packed(batch)

    def _checked(self, batch):
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(batch)
        x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, *self.counts)
        if y is not None and self.class_weight:
            sample_weight = data_adapter.apply_class_weight(y, sample_weight, self.class_weight)
        return x, y, sample_weight

    def _packed(self, batch):
        return data_adapter.pack_x_y_sample_weight(*self._checked(batch))
