"""Ops that move, copy or repeat elements: tile, repeat, split, flip, roll, swapaxes, moveaxis,
append/hstack/vstack, meshgrid, copy (and the shape queries size, ndim)."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.ops.axes import canonical_axes, canonical_axis
from npkeras.ops.shaping import broadcast_to, concatenate, ravel, reshape, transpose


class Tile(Function):
    """np.tile; backward folds each copy back onto the input by one reshape and sum."""

    saved = ("in_shape",)

    def __init__(self, reps):
        self.reps = reps

    def forward(self, x):
        self.in_shape = x.shape
        return np.tile(x, self.reps)

    def backward(self, gy):
        shape = (1,) * (gy.ndim - len(self.in_shape)) + self.in_shape
        split = [d for r, n in zip(gy.shape, shape) for d in (r // n, n)]
        g = gy.reshape(split).sum(axis=tuple(range(0, 2 * gy.ndim, 2)))
        return g.reshape(self.in_shape)


class Repeat(Function):
    """np.repeat along one axis; backward sums each run of copies: one reshape and sum when every entry repeats
    the same number of times (UpSampling, RepeatVector), else one np.add.reduceat."""

    saved = ("in_shape", "empty", "starts")

    def __init__(self, repeats, axis):
        self.repeats, self.axis = repeats, axis

    def forward(self, x):
        self.in_shape = x.shape
        if np.ndim(self.repeats) == 0:
            self.empty = self.starts = None
        else:
            counts = np.broadcast_to(self.repeats, (x.shape[self.axis],))
            self.starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            self.empty = counts == 0
        return np.repeat(x, self.repeats, axis=self.axis)

    def backward(self, gy):
        axis = self.axis
        if self.starts is None:
            runs = gy.shape[:axis] + (self.in_shape[axis], int(self.repeats)) + gy.shape[axis + 1 :]
            return gy.reshape(runs).sum(axis=axis + 1)
        if gy.shape[axis] == 0:
            return np.zeros(gy.shape[:axis] + self.starts.shape + gy.shape[axis + 1 :], gy.dtype)
        starts = np.minimum(self.starts, gy.shape[axis] - 1)
        g = np.add.reduceat(gy, starts, axis=axis)
        if self.empty.any():  # reduceat gives a single element for an empty run: those get no gradient
            g[(slice(None),) * axis + (self.empty,)] = 0
        return g


class Split(Function):
    """np.split/array_split into several outputs; backward concatenates (zeros for unused outputs)."""

    def __init__(self, indices, axis):
        self.indices, self.axis = indices, axis

    def forward(self, x):
        return tuple(np.split(x, self.indices, axis=self.axis))

    def backward(self, *gys):
        gys = [np.zeros(s, d) if g is None else g for g, (s, d) in zip(gys, self.output_meta)]
        return np.concatenate(gys, axis=self.axis)


class Flip(Function):
    def __init__(self, axes):
        self.axes = axes

    def forward(self, x):
        return np.flip(x, self.axes)

    def backward(self, gy):
        return np.flip(gy, self.axes)


class Roll(Function):
    def __init__(self, shift, axis):
        self.shift, self.axis = shift, axis

    def forward(self, x):
        return np.roll(x, self.shift, self.axis)

    def backward(self, gy):
        return np.roll(gy, np.negative(self.shift), self.axis)


class Copy(Function):
    def forward(self, x):
        return x.copy()

    def backward(self, gy):
        return gy


def tile(x, repeats):
    x = as_tensor(x)
    reps = (int(repeats),) if np.isscalar(repeats) else tuple(int(r) for r in repeats)
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: `repeats` must be non-negative. Received repeats={repeats!r}")
    return Tile(reps)(x)


def repeat(x, repeats, axis=None):
    x = as_tensor(x)
    if axis is None:
        x, axis = ravel(x), 0
    axis = canonical_axis(axis, x.ndim, "repeat")
    reps = np.asarray(repeats.data if isinstance(repeats, Tensor) else repeats, dtype=np.int64)
    if reps.ndim > 1 or (reps.ndim == 1 and reps.size not in (1, x.shape[axis])) or (reps < 0).any():
        raise ValueError(
            f"repeat: `repeats` must be a non-negative integer or one per element of axis {axis} "
            f"(size {x.shape[axis]}). Received repeats={repeats!r}"
        )
    return Repeat(reps.reshape(-1) if reps.ndim else reps, axis)(x)


def split(x, indices_or_sections, axis=0):
    """Keras's ops.split: equal sections (which must divide the axis) or split points."""
    x = as_tensor(x)
    axis = canonical_axis(axis, x.ndim, "split")
    n = x.shape[axis]
    if np.isscalar(indices_or_sections):
        sections = int(indices_or_sections)
        if sections <= 0 or n % sections:
            raise ValueError(
                f"split: axis {axis} of size {n} cannot be split into {indices_or_sections} equal sections."
            )
        points = [n // sections * i for i in range(1, sections)]
    else:
        points = [int(i) for i in indices_or_sections]
    out = Split(points, axis)(x)
    return list(out) if isinstance(out, tuple) else [out]


def array_split(x, indices_or_sections, axis=0):
    """Like split, but sections need not divide the axis: the first `n % sections` get one more."""
    x = as_tensor(x)
    axis = canonical_axis(axis, x.ndim, "array_split")
    n, sections = x.shape[axis], int(indices_or_sections)
    if sections <= 0:
        raise ValueError(f"array_split: `indices_or_sections` must be positive. Received {indices_or_sections}.")
    sizes = [n // sections + (i < n % sections) for i in range(sections)]
    return split(x, np.cumsum(sizes)[:-1].tolist(), axis)


def flip(x, axis=None):
    x = as_tensor(x)
    return Flip(canonical_axes(axis, x.ndim, "flip"))(x)


def roll(x, shift, axis=None):
    x = as_tensor(x)
    if axis is None:
        return reshape(roll(ravel(x), shift, 0), x.shape)
    axes = (
        canonical_axes(axis, x.ndim, "roll")
        if np.isscalar(axis)
        else tuple(canonical_axis(a, x.ndim, "roll") for a in axis)
    )
    shift = int(shift) if np.isscalar(shift) else tuple(int(s) for s in shift)
    return Roll(shift, axes[0] if np.isscalar(axis) else axes)(x)


def swapaxes(x, axis1, axis2):
    x = as_tensor(x)
    perm = list(range(x.ndim))
    a, b = canonical_axis(axis1, x.ndim, "swapaxes"), canonical_axis(axis2, x.ndim, "swapaxes")
    perm[a], perm[b] = b, a
    return transpose(x, perm)


def moveaxis(x, source, destination):
    x = as_tensor(x)
    src = [source] if np.isscalar(source) else list(source)
    dst = [destination] if np.isscalar(destination) else list(destination)
    if len(src) != len(dst):
        raise ValueError("moveaxis: `source` and `destination` must have the same number of elements.")
    src = [canonical_axis(a, x.ndim, "moveaxis") for a in src]
    dst = [canonical_axis(a, x.ndim, "moveaxis") for a in dst]
    perm = [a for a in range(x.ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return transpose(x, perm)


def append(x1, x2, axis=None):
    x1, x2 = as_tensor(x1), as_tensor(x2)
    if axis is None:
        return concatenate([ravel(x1), ravel(x2)], axis=0)
    return concatenate([x1, x2], axis=axis)


def hstack(xs):
    xs = [as_tensor(x) for x in xs]
    return concatenate([reshape(x, (-1,)) if x.ndim == 0 else x for x in xs], axis=0 if xs[0].ndim <= 1 else 1)


def vstack(xs):
    xs = [as_tensor(x) for x in xs]
    return concatenate([reshape(x, (1, -1)) if x.ndim < 2 else x for x in xs], axis=0)


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: `indexing` must be 'xy' or 'ij'. Received indexing={indexing!r}")
    xs = [ravel(as_tensor(t)) for t in x]
    shape = [t.shape[0] for t in xs]
    if indexing == "xy" and len(xs) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, t in enumerate(xs):
        axis = {0: 1, 1: 0}.get(i, i) if indexing == "xy" and len(xs) >= 2 else i
        view = [1] * len(xs)
        view[axis] = t.shape[0]
        out.append(broadcast_to(reshape(t, view), shape))
    return out


def copy(x):
    return Copy()(as_tensor(x))


def size(x):
    return int(np.size(x))


def ndim(x):
    return int(np.ndim(x))


def fliplr(x):
    return flip(x, 1)


def flipud(x):
    return flip(x, 0)


def rot90(array, k=1, axes=(0, 1)):
    """Rotate by 90 degrees k times in the plane of `axes` (from the first axis towards the second)."""
    x = as_tensor(array)
    a, b = (canonical_axis(ax, x.ndim, "rot90") for ax in axes)
    if a == b:
        raise ValueError(f"rot90: `axes` must name two different axes. Received axes={axes!r}")
    k %= 4
    if k == 0:
        return x
    if k == 2:
        return flip(x, (a, b))
    return swapaxes(flip(x, b), a, b) if k == 1 else flip(swapaxes(x, a, b), b)


def hsplit(x, indices_or_sections):
    x = as_tensor(x)
    return split(x, indices_or_sections, axis=0 if x.ndim == 1 else 1)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    x = as_tensor(x)
    if x.ndim < 3:
        raise ValueError(f"dsplit: `x` must have rank >= 3. Received shape {x.shape}.")
    return split(x, indices_or_sections, axis=2)


def dstack(xs):
    xs = [as_tensor(x) for x in xs]
    xs = [reshape(x, (1, -1, 1)) if x.ndim < 2 else reshape(x, x.shape + (1,)) if x.ndim == 2 else x for x in xs]
    return concatenate(xs, axis=2)


def diff(a, n=1, axis=-1):
    """The n-th discrete difference along `axis`."""
    from npkeras.ops.math import subtract
    from npkeras.ops.shaping import getitem

    x = as_tensor(a)
    axis = canonical_axis(axis, x.ndim, "diff")
    lead = (slice(None),) * axis
    for _ in range(int(n)):
        x = subtract(getitem(x, lead + (slice(1, None),)), getitem(x, lead + (slice(None, -1),)))
    return x
