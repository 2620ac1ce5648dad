"""Sorting and order statistics: sort, argsort, argpartition, top_k, quantile, median, searchsorted, digitize.

The differentiable ones gather with `take_along_axis`/`take`, whose backward scatters the gradient back.
"""

import numpy as np

from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.ops.axes import canonical_axes, canonical_axis
from npkeras.ops.indexing import take_along_axis


def _flat_or_axis(x, axis, op_name):
    from npkeras.ops.shaping import ravel

    x = as_tensor(x)
    if axis is None:
        return ravel(x), 0
    if x.ndim == 0:
        raise ValueError(f"{op_name}: expected a tensor of rank >= 1. Received a scalar.")
    return x, canonical_axis(axis, x.ndim, op_name)


def argsort(x, axis=-1):
    x, axis = _flat_or_axis(x, axis, "argsort")
    return Tensor(np.argsort(x.data, axis=axis, kind="stable"))


def sort(x, axis=-1):
    x, axis = _flat_or_axis(x, axis, "sort")
    return take_along_axis(x, np.argsort(x.data, axis=axis, kind="stable"), axis=axis)


def argpartition(x, kth, axis=-1):
    x, axis = _flat_or_axis(x, axis, "argpartition")
    return Tensor(np.argpartition(x.data, kth, axis=axis))


def top_k(x, k, sorted=True):  # noqa: A002 - Keras's name
    """The k largest entries along the last axis and their indices (int32), largest first.

    Ties keep the lower index first, as TensorFlow's top_k does.
    """
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("top_k: expected a tensor of rank >= 1. Received a scalar.")
    n = x.shape[-1]
    if not 0 <= int(k) <= n:
        raise ValueError(f"top_k: `k` must be in [0, {n}] for a last axis of size {n}. Received k={k}")
    k = int(k)
    if sorted or k == n:
        idx = np.argsort(-x.data, axis=-1, kind="stable")[..., :k]
    else:
        idx = (
            np.sort(np.argpartition(-x.data, k - 1, axis=-1)[..., :k], axis=-1)
            if k
            else np.zeros(x.shape[:-1] + (0,), np.int64)
        )
    return take_along_axis(x, idx, axis=-1), Tensor(idx.astype(np.int32))


_QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """NumPy's quantile: q's axes come first, then the axes not reduced (kept as 1 with keepdims)."""
    return order_statistic(x, q, axis, method, keepdims, "quantile", ignore_nan=False)


def order_statistic(x, q, axis, method, keepdims, op_name, ignore_nan):
    """The q-quantiles of x over `axis`; with ignore_nan, of its non-NaN entries (NaN where there are none).

    Sorting puts NaNs last, so the valid entries of each row are its first `count`: the positions
    q * (count - 1) are gathered with take_along_axis, whose backward scatters the gradient back.
    """
    from npkeras.ops.rearranging import moveaxis
    from npkeras.ops.shaping import reshape
    from npkeras.ops.trigonometry import as_float

    if method not in _QUANTILE_METHODS:
        raise ValueError(f"{op_name}: `method` must be one of {_QUANTILE_METHODS}. Received method={method!r}")
    x = as_float(x)
    q = np.asarray(q.data if isinstance(q, Tensor) else q, dtype=np.float64)
    if np.any((q < 0) | (q > 1)):
        raise ValueError(f"{op_name}: `q` must be in the range [0, 1]. Received q={q.tolist()}")
    axes = canonical_axes(axis, x.ndim, op_name)
    kept = [a for a in range(x.ndim) if a not in axes]
    flat = reshape(moveaxis(x, axes, range(x.ndim - len(axes), x.ndim)), [x.shape[a] for a in kept] + [-1])
    s = sort(flat, axis=-1)
    count = (~np.isnan(flat.data)).sum(axis=-1, keepdims=True) if ignore_nan else np.asarray(s.shape[-1])
    pos = q.reshape(-1) * np.maximum(count - 1, 0)  # (..., q.size)
    lo, hi = np.floor(pos).astype(np.int64), np.ceil(pos).astype(np.int64)
    if method in ("lower", "higher", "nearest"):
        pick = {"lower": lo, "higher": hi, "nearest": np.around(pos).astype(np.int64)}[method]
        out = take_along_axis(s, np.broadcast_to(pick, s.shape[:-1] + pick.shape[-1:]), axis=-1)
    else:
        frac = np.asarray(0.5 if method == "midpoint" else pos - lo, dtype=x.dtype)
        lo, hi = (np.broadcast_to(i, s.shape[:-1] + pos.shape[-1:]) for i in (lo, hi))
        out = take_along_axis(s, lo, axis=-1) * (1 - frac) + take_along_axis(s, hi, axis=-1) * frac
    out = reshape(out, out.shape[:-1] + q.shape)
    out = moveaxis(out, range(len(kept), out.ndim), range(q.ndim))  # q's axes first
    if keepdims:
        out = reshape(out, q.shape + tuple(1 if a in axes else x.shape[a] for a in range(x.ndim)))
    return out


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """quantile with q in percent."""
    q = np.asarray(q.data if isinstance(q, Tensor) else q, dtype=np.float64)
    if np.any((q < 0) | (q > 100)):
        raise ValueError(f"percentile: `q` must be in the range [0, 100]. Received q={q.tolist()}")
    return order_statistic(x, q / 100, axis, method, keepdims, "percentile", ignore_nan=False)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def searchsorted(sorted_sequence, values, side="left"):
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: `side` must be 'left' or 'right'. Received side={side!r}")
    seq = np.asarray(sorted_sequence)
    if seq.ndim != 1:
        raise ValueError(f"searchsorted: `sorted_sequence` must be 1-D. Received shape {seq.shape}.")
    return Tensor(np.searchsorted(seq, np.asarray(values), side=side))


def digitize(x, bins):
    """Index of the bin each value falls in (int32), as keras.ops.digitize."""
    bins = np.asarray(bins)
    if bins.ndim != 1:
        raise ValueError(f"digitize: `bins` must be 1-D. Received shape {bins.shape}.")
    return Tensor(np.digitize(np.asarray(x), bins).astype(np.int32))


def in_top_k(targets, predictions, k):
    """Whether each target's prediction is among the k largest of its row (ties count as in)."""
    predictions = np.asarray(predictions)
    targets = np.asarray(targets).astype(np.int64)
    if predictions.ndim != 2 or targets.shape != predictions.shape[:1]:
        raise ValueError(
            f"in_top_k: expected predictions of shape (batch, classes) and targets of shape (batch,). "
            f"Received {predictions.shape} and {targets.shape}."
        )
    kth = -np.sort(-predictions, axis=-1)[:, int(k) - 1 : int(k)] if k > 0 else np.full((len(targets), 1), np.inf)
    return Tensor(np.take_along_axis(predictions, targets[:, None], -1)[:, 0] >= kth[:, 0])


def unique(
    x,
    sorted=True,  # noqa: A002 - Keras's name
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    """np.unique's values (sorted), optionally with first indices, the inverse and counts; `size`
    pads (with `fill_value`, else the smallest value) or truncates the values to that length."""
    out = np.unique(
        np.asarray(x),
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        axis=axis,
    )
    parts = list(out) if isinstance(out, tuple) else [out]
    if size is not None:
        values = parts[0]
        pad = int(size) - values.shape[0]
        if pad < 0:
            parts = [p[: int(size)] if i != 2 else p for i, p in enumerate(parts)]
        elif pad:
            fill = values.min() if fill_value is None and values.size else fill_value or 0
            parts[0] = np.concatenate([values, np.full((pad,) + values.shape[1:], fill, values.dtype)])
    parts = [Tensor(p) for p in parts]
    return parts[0] if len(parts) == 1 else tuple(parts)
