"""Boolean tests and reductions: isnan, isinf, isfinite, isclose, logical_not/xor, any, all, nonzero,
count_nonzero, bincount. Their outputs are booleans or integers: no gradient flows."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.ops.axes import canonical_axes
from npkeras.ops.creation import _compare

logical_xor = _compare(np.logical_xor)


def logical_not(x):
    return Tensor(np.logical_not(np.asarray(x)))


def isnan(x):
    return Tensor(np.isnan(np.asarray(x)))


def isinf(x):
    return Tensor(np.isinf(np.asarray(x)))


def isfinite(x):
    return Tensor(np.isfinite(np.asarray(x)))


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return Tensor(np.isclose(np.asarray(x1), np.asarray(x2), rtol=rtol, atol=atol, equal_nan=equal_nan))


def isneginf(x):
    return Tensor(np.isneginf(np.asarray(x)))


def isposinf(x):
    return Tensor(np.isposinf(np.asarray(x)))


def isreal(x):
    return Tensor(np.isreal(np.asarray(x)))


def signbit(x):
    return Tensor(np.signbit(np.asarray(x)))


def isin(x1, x2, assume_unique=False, invert=False):
    return Tensor(np.isin(np.asarray(x1), np.asarray(x2), assume_unique=assume_unique, invert=invert))


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return bool(np.allclose(np.asarray(x1), np.asarray(x2), rtol=rtol, atol=atol, equal_nan=equal_nan))


def _reduce(fn, x, axis, keepdims, op_name):
    x = np.asarray(x)
    return Tensor(fn(x, axis=canonical_axes(axis, x.ndim, op_name), keepdims=keepdims))


def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    return _reduce(np.any, x, axis, keepdims, "any")


def all(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    return _reduce(np.all, x, axis, keepdims, "all")


def count_nonzero(x, axis=None):
    """The number of non-zero entries (int32, as Keras's TensorFlow backend returns)."""
    x = np.asarray(x)
    axes = canonical_axes(axis, x.ndim, "count_nonzero")
    return Tensor(np.asarray(np.count_nonzero(x, axis=axes), dtype=np.int32))


def nonzero(x):
    """One index tensor per axis (int32), as keras.ops.nonzero."""
    return tuple(Tensor(i.astype(np.int32)) for i in np.nonzero(np.asarray(x)))


def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts (or summed weights) per value of non-negative integers; a 2-D x counts each row."""
    if sparse:
        raise ValueError("bincount: npkeras has no sparse tensors; use sparse=False.")
    x = np.asarray(x)
    if x.dtype.kind not in "iub" or x.ndim not in (1, 2):
        raise ValueError(
            f"bincount: `x` must be a 1-D or 2-D integer tensor. Received dtype {x.dtype}, shape {x.shape}."
        )
    if x.size and x.min() < 0:
        raise ValueError(f"bincount: `x` must be non-negative. Received a value of {x.min()}.")
    w = None if weights is None else np.asarray(weights)
    length = max(int(minlength), int(x.max()) + 1 if x.size else 0)
    if x.ndim == 1:
        out = np.bincount(x, w, minlength=length)
    else:  # one count per row: offset each row's values into its own block of bins
        flat = (x + length * np.arange(len(x))[:, None]).reshape(-1)
        out = np.bincount(flat, None if w is None else w.reshape(-1), minlength=length * len(x)).reshape(len(x), length)
    dtype = np.int32 if w is None else np.result_type(w.dtype, np.float32) if w.dtype.kind != "f" else w.dtype
    return Tensor(out.astype(dtype))


def histogram(x, bins=10, range=None):  # noqa: A002 - Keras's name
    """(counts, bin_edges) of a 1-D tensor, as np.histogram."""
    x = np.asarray(x)
    if x.ndim != 1:
        raise ValueError(f"histogram: expected a 1-D input. Received shape {x.shape}.")
    if not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"histogram: `bins` must be a positive integer. Received bins={bins!r}")
    counts, edges = np.histogram(x, bins=bins, range=range)
    return Tensor(counts.astype(np.int32)), Tensor(edges.astype(x.dtype if x.dtype.kind == "f" else np.float32))
