"""Shape ops: reshape, transpose, getitem, broadcast_to, concatenate, stack, pad, expand/squeeze."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.ops.broadcast import sum_to


class Reshape(Function):
    saved = ("in_shape",)

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.in_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, gy):
        return gy.reshape(self.in_shape)


class Transpose(Function):
    def __init__(self, axes):
        self.axes = axes

    def forward(self, x):
        if self.axes is not None:
            self.axes = tuple(a % x.ndim for a in self.axes)
        return np.transpose(x, self.axes)

    def backward(self, gy):
        if self.axes is None:
            return np.transpose(gy)
        return np.transpose(gy, np.argsort(self.axes))


def _is_basic_index(key):
    keys = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, (int, np.integer, slice)) for k in keys)


class GetItem(Function):
    saved = ("dtype", "in_shape")

    def __init__(self, key):
        self.key = key

    def forward(self, x):
        self.in_shape, self.dtype = x.shape, x.dtype
        return x[self.key]

    def backward(self, gy):
        gx = np.zeros(self.in_shape, dtype=gy.dtype)
        if _is_basic_index(self.key):
            gx[self.key] = gy
        else:  # advanced indexing may repeat positions: accumulate
            np.add.at(gx, self.key, gy)
        return gx


class BroadcastTo(Function):
    saved = ("in_shape",)

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.in_shape = x.shape
        return np.broadcast_to(x, self.shape)

    def backward(self, gy):
        return sum_to(gy, self.in_shape)


class Concatenate(Function):
    saved = ("splits",)

    def __init__(self, axis):
        self.axis = axis

    def forward(self, *xs):
        self.splits = np.cumsum([x.shape[self.axis] for x in xs])[:-1]
        return np.concatenate(xs, axis=self.axis)

    def backward(self, gy):
        return tuple(np.split(gy, self.splits, axis=self.axis))


class Stack(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, *xs):
        return np.stack(xs, axis=self.axis)

    def backward(self, gy):
        return tuple(np.moveaxis(gy, self.axis, 0))


class Pad(Function):
    """Constant padding; `pad_width` holds one (before, after) pair per axis."""

    def __init__(self, pad_width, constant_values=0):
        self.pad_width, self.constant_values = pad_width, constant_values

    def forward(self, x):
        return np.pad(x, self.pad_width, constant_values=self.constant_values)

    def backward(self, gy):
        return gy[tuple(slice(before, gy.shape[i] - after) for i, (before, after) in enumerate(self.pad_width))]


def resolve_shape(in_shape, newshape):
    """`newshape` with its one -1 (or None) filled in; ValueError if the sizes disagree."""
    newshape = (newshape,) if np.isscalar(newshape) else tuple(newshape)
    newshape = tuple(-1 if d is None else int(d) for d in newshape)
    size = int(np.prod(in_shape))
    known = int(np.prod([d for d in newshape if d != -1]))
    unknown = newshape.count(-1)
    if unknown > 1 or (unknown == 1 and (known == 0 or size % known)) or (not unknown and known != size):
        raise ValueError(f"Cannot reshape a tensor of shape {tuple(in_shape)} ({size} elements) into shape {newshape}.")
    return tuple(size // known if d == -1 else d for d in newshape)


def reshape(x, newshape):
    x = as_tensor(x)
    return Reshape(resolve_shape(x.shape, newshape))(x)


def transpose(x, axes=None):
    return Transpose(None if axes is None else tuple(axes))(as_tensor(x))


def getitem(x, key):
    if isinstance(key, Tensor):
        key = key.data
    elif isinstance(key, tuple):
        key = tuple(k.data if isinstance(k, Tensor) else k for k in key)
    return GetItem(key)(as_tensor(x))


def broadcast_to(x, shape):
    return BroadcastTo(tuple(shape))(as_tensor(x))


def concatenate(xs, axis=0):
    return Concatenate(axis)(*[as_tensor(x) for x in xs])


def stack(x, axis=0):
    return Stack(axis)(*[as_tensor(t) for t in x])


def expand_dims(x, axis):
    x = as_tensor(x)
    return reshape(x, np.expand_dims(np.empty(x.shape, dtype=bool), axis).shape)


def squeeze(x, axis=None):
    x = as_tensor(x)
    return reshape(x, np.squeeze(np.empty(x.shape, dtype=bool), axis).shape)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Keras's `ops.pad` (constant mode): `pad_width` is one (before, after) pair per axis."""
    x = as_tensor(x)
    if mode != "constant":
        raise ValueError(f'npkeras pads in "constant" mode only. Received mode={mode!r}')
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
    if (widths < 0).any():
        raise ValueError(f"`pad_width` must be non-negative. Received pad_width={pad_width!r}")
    return Pad(tuple(map(tuple, widths.tolist())), constant_values or 0)(x)


def ravel(x):
    return reshape(x, (-1,))


def shape(x):
    if getattr(x, "_npkeras_symbolic", False):  # a KerasTensor's shape, None where unknown, as in Keras
        return tuple(x.shape)
    return tuple(np.shape(x))
