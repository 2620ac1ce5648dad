"""Checking and batching the arrays given to fit/evaluate/predict."""

import math
import warnings

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.arrays import numeric_array
from npkeras.backend.config import floatx


def as_array(data, role):
    """Tensors, lists and arrays to an ndarray; float64 becomes floatx; non-numeric is refused."""
    arr = numeric_array(data.data if isinstance(data, Tensor) else data, f"`{role}`", ValueError)
    if arr.ndim == 0:
        raise ValueError(f"Expected `{role}` to be an array with a batch axis, but received a scalar.")
    return arr


class InputArrays:
    """Several inputs (a list or dict of arrays, one per model input) that slice together like one array."""

    def __init__(self, arrays, role):
        self.keys = list(arrays) if isinstance(arrays, dict) else None
        values = list(arrays.values()) if self.keys is not None else list(arrays)
        self.arrays = [as_array(a, f"{role}[{k!r}]") for a, k in zip(values, self.keys or range(len(values)))]
        sizes = {len(a) for a in self.arrays}
        if len(sizes) > 1:
            raise ValueError(
                f"All inputs in `{role}` must have the same number of samples; received {[len(a) for a in self.arrays]}"
            )

    def __len__(self):
        return len(self.arrays[0])

    def __getitem__(self, index):
        parts = [a[index] for a in self.arrays]
        return dict(zip(self.keys, parts)) if self.keys is not None else parts

    def subset(self, index):
        """The same inputs restricted to `index` (a slice or index array), still an InputArrays."""
        part = object.__new__(InputArrays)
        part.keys, part.arrays = self.keys, [a[index] for a in self.arrays]
        return part

    @property
    def shape(self):
        return self.arrays[0].shape

    def check_finite(self, role):
        for i, a in enumerate(self.arrays):
            check_finite(a, f"{role}[{i}]")


def as_inputs(data, role, n_inputs=1):
    """The model's input data: one array, or InputArrays for a model with several inputs (or a dict)."""
    if isinstance(data, InputArrays):
        return data
    if isinstance(data, dict) or (n_inputs > 1 and isinstance(data, (list, tuple))):
        if n_inputs > 1 and len(data) != n_inputs:
            raise ValueError(f"The model expects {n_inputs} inputs, but `{role}` holds {len(data)} arrays")
        return InputArrays(data, role)
    return as_array(data, role)


def check_finite(arr, role):
    if isinstance(arr, InputArrays):
        arr.check_finite(role)
        return
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"`{role}` contains {bad} NaN or infinite value(s); clean the data before training.")


def check_cardinality(**arrays):
    sizes = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(sizes.values())) > 1:
        detail = "".join(f"'{name}' sizes: {n}\n" for name, n in sizes.items())
        raise ValueError(
            "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples." + detail
        )


def prepare(x, y=None, sample_weight=None, n_inputs=1, n_outputs=1):
    """Arrays checked for type, length and NaN/inf, ready for batching."""
    x = as_inputs(x, "x", n_inputs)
    y = None if y is None else as_inputs(y, "y", n_outputs)
    sample_weight = None if sample_weight is None else as_array(sample_weight, "sample_weight")
    check_cardinality(x=x, y=y, sample_weight=sample_weight)
    for role, arr in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        if arr is not None:
            check_finite(arr, role)
    return x, y, sample_weight


def split_validation(x, y, sample_weight, validation_split):
    """Keras's validation_split: the last fraction of the samples, taken before shuffling."""
    if not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1. Received: {validation_split}")
    split_at = int(math.floor(len(x) * (1.0 - validation_split)))
    if split_at == 0 or split_at == len(x):
        raise ValueError(
            f"Training data contains {len(x)} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`. Either "
            "provide more data, or a different value for the `validation_split` argument."
        )

    def cut(a):
        if isinstance(a, InputArrays):
            return a.subset(slice(None, split_at)), a.subset(slice(split_at, None))
        return (None, None) if a is None else (a[:split_at], a[split_at:])

    (x_t, x_v), (y_t, y_v), (w_t, w_v) = cut(x), cut(y), cut(sample_weight)
    return (x_t, y_t, w_t), (x_v, y_v, w_v)


def batches(n, batch_size, shuffle=False, rng=None):
    """Index arrays (or slices) for each batch of n samples."""
    if shuffle:
        order = rng.permutation(n)
        return [order[i : i + batch_size] for i in range(0, n, batch_size)]
    return [slice(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]


def apply_class_weight(y, sample_weight, class_weight):
    """Sample weights multiplied by each sample's class weight (unchanged without class_weight)."""
    if not class_weight:
        return sample_weight
    if isinstance(y, InputArrays):
        raise ValueError(
            "`class_weight` is only supported for models with a single output; for several outputs, pass "
            "`sample_weight` instead."
        )
    weights = class_weights_to_sample_weights(y, class_weight)
    return weights if sample_weight is None else sample_weight * weights


def class_weights_to_sample_weights(y, class_weight):
    """Per-sample weights from a {class: weight} dict (labels sparse or one-hot)."""
    labels = np.asarray(y)
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    labels = labels.reshape(len(labels), -1)[:, 0].astype(np.int64)
    if not isinstance(class_weight, dict):
        raise ValueError(f"`class_weight` must be a dict of {{class index: weight}}. Received: {class_weight!r}")
    weights = {}
    for k, w in class_weight.items():
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 0:
            raise ValueError(f"`class_weight` keys must be class indices (integers >= 0). Received key: {k!r}")
        if not isinstance(w, (int, float, np.number)) or isinstance(w, bool) or not np.isfinite(w) or w < 0:
            raise ValueError(f"`class_weight` values must be finite numbers >= 0. Received: {k}: {w!r}")
        weights[int(k)] = w

    table = np.ones(max([int(labels.max())] + list(weights)) + 1, dtype=floatx())
    for k, w in weights.items():
        table[k] = w
    return table[labels]


def warn_unused_class_weights(y, class_weight):
    """Warn (once per fit, over all of y) about class_weight keys that no label has."""
    if not class_weight or isinstance(y, InputArrays):
        return
    labels = np.asarray(y)
    labels = (
        labels.argmax(axis=-1) if labels.ndim > 1 and labels.shape[-1] > 1 else labels.reshape(len(labels), -1)[:, 0]
    )
    absent = sorted(set(int(k) for k in class_weight) - set(np.unique(labels.astype(np.int64)).tolist()))
    if absent:
        warnings.warn(
            f"`class_weight` gives weights for classes {absent}, which no label in `y` has; they have no effect.",
            stacklevel=3,
        )
