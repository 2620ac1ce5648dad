"""Checking and batching the arrays given to fit/evaluate/predict."""

import math
import warnings

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.arrays import numeric_array
from npkeras.backend.config import floatx
from npkeras.layers.symbolic import flatten, map_structure


def as_array(data, role, text=False):
    """Tensors, lists and arrays to an ndarray; float64 becomes floatx; non-numeric is refused, except text
    (a str array) where `text` says the model has a string Input."""
    arr = text_array(data) if text else None
    if arr is None:
        arr = numeric_array(data.data if isinstance(data, Tensor) else data, f"`{role}`", ValueError)
    if arr.ndim == 0:
        raise ValueError(f"Expected `{role}` to be an array with a batch axis, but received a scalar.")
    return arr


def text_array(data):
    """`data` as a NumPy str array when it holds text (str or bytes), else None."""
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, np.ndarray) and data.dtype.kind in "US":
        return data.astype(str) if data.dtype.kind == "S" else data
    if isinstance(data, (np.ndarray, list, tuple)) and len(data):
        first = data
        while isinstance(first, (np.ndarray, list, tuple)) and len(first):
            first = first[0]
        if isinstance(first, (str, bytes)):
            arr = np.asarray(data, dtype=object)
            return np.vectorize(lambda v: v.decode("utf-8") if isinstance(v, bytes) else str(v), otypes=[str])(arr)
    return None


def is_structure_of(data, count):
    """Whether `data` holds one array per model input (or output): a dict, or a list/tuple when the model
    has several (or an unknown number, None, and the list holds arrays); else it is one array."""
    if isinstance(data, dict):
        return True
    if not isinstance(data, (list, tuple)):
        return False
    if count is None:
        return bool(data) and all(isinstance(v, (np.ndarray, Tensor)) for v in data)
    return count > 1


def as_inputs(data, role, count=1, text=False):
    """The data of the model's inputs (or targets): one checked array, or a list/dict of them."""
    if is_structure_of(data, count):
        if count is not None and count > 1 and len(data) != count:
            what = "inputs" if role.startswith("x") else "outputs"
            raise ValueError(f"The model expects {count} {what}, but `{role}` holds {len(data)} arrays")
        keys = data.keys() if isinstance(data, dict) else range(len(data))
        parts = {k: as_array(data[k], f"{role}[{k!r}]", text) for k in keys}
        return parts if isinstance(data, dict) else type(data)(parts.values())
    return as_array(data, role, text)


def num_samples(data):
    """How many samples a batch or data set holds: the length of its first array, as Keras counts a batch."""
    return len(flatten(data)[0])


def take(data, index):
    """The samples at `index` (a slice or an index array) of every array in `data`."""
    return map_structure(lambda a: a[index], data)


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """One batch as a train_step receives it, as Keras packs it: x alone (a tuple of inputs as (x,)),
    (x, y), or (x, y, sample_weight)."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """(x, y, sample_weight) from a batch, the missing ones None, as keras.utils.unpack_x_y_sample_weight."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found a tuple of {len(data)} elements."
    )


def check_finite(data, role):
    if isinstance(data, (list, tuple, dict)):
        keys = data.keys() if isinstance(data, dict) else range(len(data))
        for k in keys:
            check_finite(data[k], f"{role}[{k!r}]")
        return
    arr = data
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"`{role}` contains {bad} NaN or infinite value(s); clean the data before training.")


def check_cardinality(**arrays):
    sizes = {name: len(a) for name, data in arrays.items() if data is not None for a in flatten(data)}
    if len(set(sizes.values())) > 1:
        detail = "".join(f"'{name}' sizes: {n}\n" for name, n in sizes.items())
        raise ValueError(
            "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples." + detail
        )


def prepare(x, y=None, sample_weight=None, n_inputs=1, n_outputs=1, text_inputs=False):
    """Arrays checked for type, length and NaN/inf, ready for batching (a count of None: not known); text is
    taken as x only where `text_inputs` says the model has a string Input."""
    x = as_inputs(x, "x", n_inputs, text_inputs)
    y = None if y is None else as_inputs(y, "y", n_outputs)
    sample_weight = None if sample_weight is None else as_inputs(sample_weight, "sample_weight", n_outputs)
    check_cardinality(x=x, y=y, sample_weight=sample_weight)
    for role, arr in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        if arr is not None:
            check_finite(arr, role)
    return x, y, sample_weight


def split_validation(x, y, sample_weight, validation_split):
    """Keras's validation_split: the last fraction of the samples, taken before shuffling."""
    if not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1. Received: {validation_split}")
    total = num_samples(x)
    split_at = int(math.floor(total * (1.0 - validation_split)))
    if split_at == 0 or split_at == total:
        raise ValueError(
            f"Training data contains {total} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`. Either "
            "provide more data, or a different value for the `validation_split` argument."
        )

    def cut(a):
        return (None, None) if a is None else (take(a, slice(None, split_at)), take(a, slice(split_at, None)))

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
    if isinstance(y, (list, tuple, dict)):
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
    if not class_weight or isinstance(y, (list, tuple, dict)):
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
