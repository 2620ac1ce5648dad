"""Keras's core ops on tensors: stop_gradient, is_tensor, dtype, unstack, slice, slice_update,
scatter and scatter_update (scatter's backward is a gather, its forward a sorted scatter-add)."""

import builtins

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.ops.axes import canonical_axis
from npkeras.ops.embedding import scatter_add_rows


def stop_gradient(variable):
    """The same values with no gradient flowing back."""
    return as_tensor(variable).detach()


def is_tensor(x):
    return isinstance(x, Tensor)


def dtype(x):
    """The dtype's standard name ("float32", "int64", "bool", ...)."""
    return np.dtype(as_tensor(x).dtype).name


def view(x, dtype=None):
    """The same bytes read as another dtype (a copy, as arrays here own their data)."""
    x = as_tensor(x)
    return Tensor(x.data.view(np.dtype(dtype)).copy()) if dtype is not None else Tensor(x.data.copy())


def unstack(x, num=None, axis=0):
    from npkeras.ops.shaping import getitem

    x = as_tensor(x)
    axis = canonical_axis(axis, x.ndim, "unstack")
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"unstack: `num` ({num}) must equal the size of axis {axis} ({x.shape[axis]}).")
    return [getitem(x, (builtins.slice(None),) * axis + (i,)) for i in range(x.shape[axis])]


def _start(start_indices, op_name, ndim):
    start = [int(s) for s in np.asarray(start_indices.data if isinstance(start_indices, Tensor) else start_indices)]
    if len(start) != ndim:
        raise ValueError(f"{op_name}: `start_indices` must hold one index per axis ({ndim}). Received {start}.")
    return start


def slice(inputs, start_indices, shape):  # noqa: A001 - Keras's name
    """The block of `shape` starting at `start_indices` (a size of -1 runs to the end)."""
    from npkeras.ops.shaping import getitem

    x = as_tensor(inputs)
    start = _start(start_indices, "slice", x.ndim)
    sizes = [int(s) for s in shape]
    key = tuple(builtins.slice(b, None if n == -1 else b + n) for b, n in zip(start, sizes))
    return getitem(x, key)


class SliceUpdate(Function):
    """x with the block at `key` replaced by `updates`: the block's gradient goes to the updates."""

    def __init__(self, key):
        self.key = key

    def forward(self, x, updates):
        y = x.copy()
        y[self.key] = updates
        return y

    def backward(self, gy):
        gx = gy.copy()
        gx[self.key] = 0
        return gx, gy[self.key]


def slice_update(inputs, start_indices, updates):
    x, u = as_tensor(inputs), as_tensor(updates)
    start = _start(start_indices, "slice_update", x.ndim)
    if u.ndim != x.ndim or any(b + n > d for b, n, d in zip(start, u.shape, x.shape)):
        raise ValueError(
            f"slice_update: updates of shape {u.shape} at {start} do not fit inside inputs of shape {x.shape}."
        )
    key = tuple(builtins.slice(b, b + n) for b, n in zip(start, u.shape))
    return SliceUpdate(key)(x, u.astype(x.dtype) if u.dtype != x.dtype else u)


def _flat_positions(indices, shape, op_name):
    """Row ids into x viewed as (prod(shape[:k]), rest) for indices of shape (..., k)."""
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices).astype(np.int64)
    if idx.ndim == 0 or idx.shape[-1] > len(shape):
        raise ValueError(f"{op_name}: `indices` must have shape (..., k) with k <= {len(shape)}. Received {idx.shape}.")
    k = idx.shape[-1]
    lead = tuple(shape[:k])
    if idx.size and ((idx < 0).any() or (idx >= np.array(lead)).any()):
        raise IndexError(f"{op_name}: indices out of range for the leading axes {lead}.")
    return np.ravel_multi_index(tuple(np.moveaxis(idx, -1, 0)), lead).reshape(-1), int(np.prod(lead)), k


class Scatter(Function):
    """zeros(shape) with `values` added at `indices` (repeated indices add up)."""

    def __init__(self, rows, num_rows, shape):
        self.rows, self.num_rows, self.shape = rows, num_rows, shape

    def forward(self, values):
        flat = values.reshape(len(self.rows), -1)
        return scatter_add_rows(flat, self.rows, self.num_rows).reshape(self.shape)

    def backward(self, gy):
        return gy.reshape(self.num_rows, -1)[self.rows].reshape(self.inputs[0].shape)


def scatter(indices, values, shape):
    shape = tuple(int(s) for s in shape)
    rows, n, k = _flat_positions(indices, shape, "scatter")
    v = as_tensor(values)
    if v.size != rows.size * int(np.prod(shape[k:])):
        raise ValueError(f"scatter: values of shape {v.shape} do not match indices {np.shape(indices)} and {shape}.")
    return Scatter(rows, n, shape)(v)


class ScatterUpdate(Function):
    """x with the slices at `indices` replaced by `updates` (for repeated indices the last one wins)."""

    saved = ("winner",)

    def __init__(self, rows, num_rows):
        self.rows, self.num_rows = rows, num_rows

    def forward(self, x, updates):
        y = x.copy().reshape(self.num_rows, -1)
        y[self.rows] = updates.reshape(len(self.rows), -1)
        # which update survives at each written row: NumPy assigns in order, so the last one
        last = np.full(self.num_rows, -1)
        last[self.rows] = np.arange(len(self.rows))
        self.winner = last[self.rows] == np.arange(len(self.rows))
        return y.reshape(x.shape)

    def backward(self, gy):
        g = gy.reshape(self.num_rows, -1)
        gx = g.copy()
        gx[self.rows] = 0
        gu = g[self.rows] * self.winner[:, None]
        return gx.reshape(gy.shape), gu.reshape(self.inputs[1].shape)


def scatter_update(inputs, indices, updates, reduction=None):
    if reduction is not None:
        raise ValueError(f"scatter_update: npkeras supports reduction=None only. Received reduction={reduction!r}")
    x, u = as_tensor(inputs), as_tensor(updates)
    rows, n, k = _flat_positions(indices, x.shape, "scatter_update")
    if u.size != rows.size * int(np.prod(x.shape[k:])):
        raise ValueError(f"scatter_update: updates of shape {u.shape} do not match indices {np.shape(indices)}.")
    return ScatterUpdate(rows, n)(x, u.astype(x.dtype) if u.dtype != x.dtype else u)


def get_item(x, key):
    from npkeras.ops.shaping import getitem

    return getitem(x, key)


def select(condlist, choicelist, default=0):
    """The first choice whose condition holds, element by element; `default` where none does."""
    from npkeras.ops.math import where

    if len(condlist) != len(choicelist):
        raise ValueError(
            "select: `condlist` and `choicelist` must have the same length. "
            f"Received {len(condlist)} and {len(choicelist)}."
        )
    if not condlist:
        raise ValueError("select: `condlist` must not be empty.")
    out = default
    for cond, choice in zip(reversed(condlist), reversed(choicelist)):
        out = where(np.asarray(cond.data if isinstance(cond, Tensor) else cond), choice, out)
    return out


def saturate_cast(x, dtype):
    """cast that clips to the target dtype's range first (no wrap-around for integers)."""
    from npkeras.ops.math import cast, clip

    x = as_tensor(x)
    target = np.dtype(dtype)
    if target.kind in "iu" or (target.kind == "f" and x.dtype.kind == "f" and target.itemsize < x.dtype.itemsize):
        info = np.iinfo(target) if target.kind in "iu" else np.finfo(target)
        lo, hi = info.min, info.max
        if x.dtype.kind in "iu":
            src = np.iinfo(x.dtype)
            lo, hi = max(lo, src.min), min(hi, src.max)
        x = clip(x, lo, hi)
    return cast(x, target)
