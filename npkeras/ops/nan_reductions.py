"""NaN-ignoring reductions: nansum, nanmean, nanmax, nanmin, nanprod, nanvar, nanstd, nancumsum,
nancumprod, nanargmax, nanargmin, nanmedian, nanquantile, nanpercentile.

Each replaces the NaNs with the reduction's neutral value (a constant mask, so the gradient reaches the
other entries only) and reuses the plain reduction. Slices with no valid entry give NaN, as in NumPy.
"""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.ops.trigonometry import as_float


def _masked(x, fill):
    from npkeras.ops.math import where

    x = as_float(x)
    nan = np.isnan(x.data)
    return (where(~nan, x, np.asarray(fill, x.dtype)) if nan.any() else x), nan


def _count(nan, axis, keepdims):
    from npkeras.ops.axes import canonical_axes

    return np.sum(~nan, axis=canonical_axes(axis, nan.ndim, "nan reduction"), keepdims=keepdims)


def _nan_where_empty(y, count):
    from npkeras.ops.math import where

    empty = np.asarray(count) == 0
    return where(~empty, y, np.asarray(np.nan, y.dtype)) if empty.any() else y


def nansum(x, axis=None, keepdims=False):
    from npkeras.ops.reduction import sum

    return sum(_masked(x, 0)[0], axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    from npkeras.ops.math import divide
    from npkeras.ops.reduction import sum

    y, nan = _masked(x, 0)
    count = _count(nan, axis, keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):
        return divide(sum(y, axis, keepdims), np.asarray(count, y.dtype))


def nanmax(x, axis=None, keepdims=False):
    from npkeras.ops.reduction import max

    y, nan = _masked(x, -np.inf)
    return _nan_where_empty(max(y, axis, keepdims), _count(nan, axis, keepdims))


def nanmin(x, axis=None, keepdims=False):
    from npkeras.ops.reduction import min

    y, nan = _masked(x, np.inf)
    return _nan_where_empty(min(y, axis, keepdims), _count(nan, axis, keepdims))


def nanprod(x, axis=None, keepdims=False):
    from npkeras.ops.reduction import prod

    return prod(_masked(x, 1)[0], axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    from npkeras.ops.math import square, subtract, where

    y, nan = _masked(x, 0)
    centred = subtract(y, nanmean(x, axis, keepdims=True))
    if nan.any():
        centred = where(~nan, centred, np.asarray(0, y.dtype))
    return nanmean(where(~nan, square(centred), np.asarray(np.nan, y.dtype)), axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    from npkeras.ops.math import sqrt

    return sqrt(nanvar(x, axis, keepdims))


def nancumsum(x, axis=None, dtype=None):
    from npkeras.ops.cumulative import cumsum

    return cumsum(_masked(x, 0)[0], axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    from npkeras.ops.cumulative import cumprod

    return cumprod(_masked(x, 1)[0], axis, dtype)


def _nanarg(fn, x, axis, keepdims, op_name, fill):
    x = np.asarray(x)
    nan = np.isnan(x) if x.dtype.kind == "f" else np.zeros(x.shape, bool)
    if nan.all(axis=axis).any():
        raise ValueError(f"{op_name}: encountered an all-NaN slice.")
    return Tensor(fn(np.where(nan, fill, x), axis=axis, keepdims=keepdims))


def nanargmax(x, axis=None, keepdims=False):
    return _nanarg(np.argmax, x, axis, keepdims, "nanargmax", -np.inf)


def nanargmin(x, axis=None, keepdims=False):
    return _nanarg(np.argmin, x, axis, keepdims, "nanargmin", np.inf)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    from npkeras.ops.sorting import order_statistic

    return order_statistic(x, q, axis, method, keepdims, "nanquantile", ignore_nan=True)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    from npkeras.ops.sorting import order_statistic

    q = np.asarray(q.data if isinstance(q, Tensor) else q, dtype=np.float64)
    if np.any((q < 0) | (q > 100)):
        raise ValueError(f"nanpercentile: `q` must be in the range [0, 100]. Received q={q.tolist()}")
    return order_statistic(x, q / 100, axis, method, keepdims, "nanpercentile", ignore_nan=True)


def nanmedian(x, axis=None, keepdims=False):
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)
