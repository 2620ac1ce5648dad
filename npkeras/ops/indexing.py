"""Gathers and segment reductions: take, take_along_axis, segment_sum/max/min.

Backward passes of gathers are scatter-adds by sorting (`scatter_add_rows`), never `np.add.at`.
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.ops.axes import canonical_axis
from npkeras.ops.embedding import scatter_add_rows


def _indices(indices, op_name):
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if idx.dtype.kind not in "iu":
        if idx.dtype.kind == "f" and np.all(idx == np.floor(idx)):
            return idx.astype(np.int64)
        raise ValueError(f"{op_name}: `indices` must be integers. Received dtype {idx.dtype}.")
    return idx


class Take(Function):
    """x.take(indices, axis) along one axis; negative indices count from the end."""

    saved = ("in_shape",)

    def __init__(self, indices, axis):
        self.indices, self.axis = indices, axis

    def forward(self, x):
        self.in_shape = x.shape
        return np.take(x, self.indices, axis=self.axis)

    def backward(self, gy):
        n, ax, idx = self.in_shape[self.axis], self.axis, self.indices
        # gy's axes: x[:ax], idx's axes, x[ax+1:]; bring idx's axes to the front, flatten them
        g = np.moveaxis(gy, tuple(range(ax, ax + idx.ndim)), tuple(range(idx.ndim)))
        rest = self.in_shape[:ax] + self.in_shape[ax + 1 :]
        rows = scatter_add_rows(g.reshape(idx.size, -1), idx.reshape(-1) % n, n)
        return np.moveaxis(rows.reshape((n,) + rest), 0, ax)


class TakeAlongAxis(Function):
    saved = ("in_shape",)

    def __init__(self, indices, axis):
        self.indices, self.axis = indices, axis

    def forward(self, x):
        self.in_shape = x.shape
        return np.take_along_axis(x, self.indices, axis=self.axis)

    def backward(self, gy):
        n, shape = self.in_shape[self.axis], self.in_shape
        idx = np.broadcast_to(self.indices % n, gy.shape)
        # one flat id per output element: its position in x with the gathered axis replaced by the index
        grid = list(np.indices(gy.shape, sparse=True))
        grid[self.axis] = idx
        flat = np.ravel_multi_index(np.broadcast_arrays(*grid), shape)
        sums = scatter_add_rows(gy.reshape(-1, 1), flat.reshape(-1), int(np.prod(shape)))
        return sums.reshape(shape)


def take(x, indices, axis=None):
    """Keras's ops.take: elements of x (flattened when axis is None) at `indices`."""
    x = as_tensor(x)
    idx = _indices(indices, "take")
    if axis is None:
        from npkeras.ops.shaping import ravel

        x, axis = ravel(x), 0
    axis = canonical_axis(axis, x.ndim, "take")
    n = x.shape[axis]
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError(f"take: index out of range [{-n}, {n}) for axis {axis} of shape {x.shape}.")
    return Take(idx, axis)(x)


def take_along_axis(x, indices, axis=None):
    x = as_tensor(x)
    idx = _indices(indices, "take_along_axis")
    if axis is None:
        from npkeras.ops.shaping import ravel

        x, axis, idx = ravel(x), 0, idx.reshape(-1)
    axis = canonical_axis(axis, x.ndim, "take_along_axis")
    if idx.ndim != x.ndim:
        raise ValueError(
            f"take_along_axis: `indices` must have the rank of `x` ({x.ndim}). Received indices of shape {idx.shape}."
        )
    # Keras broadcasts x and indices against each other on every axis but `axis`
    shape = list(
        np.broadcast_shapes(
            x.shape[:axis] + (1,) + x.shape[axis + 1 :], idx.shape[:axis] + (1,) + idx.shape[axis + 1 :]
        )
    )
    x_shape, idx_shape = list(shape), list(shape)
    x_shape[axis], idx_shape[axis] = x.shape[axis], idx.shape[axis]
    if tuple(x_shape) != x.shape:
        from npkeras.ops.shaping import broadcast_to

        x = broadcast_to(x, x_shape)
    idx = np.broadcast_to(idx, idx_shape)
    return TakeAlongAxis(idx, axis)(x)


class SegmentSum(Function):
    """Row r of the output sums data[i] over every i with segment_ids[i] == r; backward gathers."""

    def __init__(self, ids, num_segments):
        self.ids, self.num_segments = ids, num_segments

    def forward(self, data):
        out = scatter_add_rows(data.reshape(len(data), -1), self.ids, self.num_segments)
        return out.reshape((self.num_segments,) + data.shape[1:])

    def backward(self, gy):
        return gy[self.ids]


class SegmentExtremum(Function):
    """segment_max/min: empty segments hold the dtype's lowest (highest) value; ties share the gradient."""

    saved = ("share",)

    def __init__(self, ids, num_segments, reduce):
        self.ids, self.num_segments, self.reduce = ids, num_segments, reduce

    def forward(self, data):
        order = np.argsort(self.ids, kind="stable")
        ids = self.ids[order]
        starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1]))) if ids.size else ids
        fill = np.finfo(data.dtype) if data.dtype.kind == "f" else np.iinfo(data.dtype)
        out = np.full(
            (self.num_segments,) + data.shape[1:], fill.min if self.reduce is np.maximum else fill.max, data.dtype
        )
        if ids.size:
            out[ids[starts]] = self.reduce.reduceat(data[order], starts, axis=0)
        hits = (data == out[self.ids]).astype(data.dtype)
        counts = scatter_add_rows(hits.reshape(len(data), -1), self.ids, self.num_segments).reshape(out.shape)
        self.share = hits / np.maximum(counts, 1)[self.ids]
        return out

    def backward(self, gy):
        return gy[self.ids] * self.share


def _segments(data, segment_ids, num_segments, op_name):
    data = as_tensor(data)
    ids = _indices(segment_ids, op_name).reshape(-1)
    if data.ndim == 0 or ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"{op_name}: `segment_ids` must have one id per row of `data` ({data.shape[:1]}). "
            f"Received segment_ids of shape {np.shape(segment_ids)}."
        )
    if ids.size and ids.min() < 0:
        raise ValueError(f"{op_name}: `segment_ids` must be non-negative. Received {ids.min()}.")
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.size else 0
    keep = ids < num_segments  # ids past num_segments are dropped, as TensorFlow's unsorted_segment ops do
    if not keep.all():
        from npkeras.ops.shaping import getitem

        data, ids = getitem(data, np.flatnonzero(keep)), ids[keep]
    return data, ids, int(num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002 - Keras's name
    data, ids, n = _segments(data, segment_ids, num_segments, "segment_sum")
    return SegmentSum(ids, n)(data)


def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002 - Keras's name
    data, ids, n = _segments(data, segment_ids, num_segments, "segment_max")
    return SegmentExtremum(ids, n, np.maximum)(data)


def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002 - Keras's name
    data, ids, n = _segments(data, segment_ids, num_segments, "segment_min")
    return SegmentExtremum(ids, n, np.minimum)(data)


def unravel_index(indices, shape):
    """Flat indices to one index tensor per axis of `shape`."""
    idx = _indices(indices, "unravel_index")
    size = int(np.prod(shape))
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        raise ValueError(f"unravel_index: indices must be in [0, {size}) for shape {tuple(shape)}.")
    return tuple(Tensor(i) for i in np.unravel_index(idx, tuple(int(s) for s in shape)))


class SegmentProd(Function):
    """Row r of the output multiplies data[i] over every i with segment_ids[i] == r (1 when empty);
    an entry's gradient is the product of the others in its segment, exact where zeros occur."""

    saved = ("data", "others", "zeros")

    def __init__(self, ids, num_segments):
        self.ids, self.num_segments = ids, num_segments

    def forward(self, data):
        self.data = data
        zero = data == 0
        safe = np.where(zero, 1, data)
        order = np.argsort(self.ids, kind="stable")
        ids = self.ids[order]
        out_shape = (self.num_segments,) + data.shape[1:]
        nonzero_prod = np.ones(out_shape, data.dtype)
        if ids.size:
            starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
            nonzero_prod[ids[starts]] = np.multiply.reduceat(safe[order], starts, axis=0)
        zeros = scatter_add_rows(zero.reshape(len(data), -1).astype(np.int64), self.ids, self.num_segments)
        self.zeros = zeros.reshape(out_shape)
        self.others = nonzero_prod  # the product of the non-zero entries of each segment
        return np.where(self.zeros > 0, 0, nonzero_prod).astype(data.dtype, copy=False)

    def backward(self, gy):
        x, zeros, others = self.data, self.zeros[self.ids], self.others[self.ids]
        zero = x == 0
        grad = np.where(zeros == 0, others / np.where(zero, 1, x), np.where(zero & (zeros == 1), others, 0))
        return gy[self.ids] * grad


def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002 - Keras's name
    data, ids, n = _segments(data, segment_ids, num_segments, "segment_prod")
    return SegmentProd(ids, n)(data)
