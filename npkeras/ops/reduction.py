"""Reductions: sum, mean, max, min (and the non-differentiable argmax/argmin)."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor, as_tensor


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axis = (axis,) if np.isscalar(axis) else tuple(axis)
    return tuple(sorted(a % ndim for a in axis))


def _expand(grad, axes, keepdims):
    """Re-insert reduced axes so `grad` broadcasts against the input."""
    if not keepdims:
        grad = np.expand_dims(grad, axes) if axes else grad
    return grad


class Sum(Function):
    saved = ("axes", "shape")

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.shape = x.shape
        self.axes = _axes(self.axis, x.ndim)
        return np.sum(x, axis=self.axes, keepdims=self.keepdims)

    def backward(self, gy):
        return np.broadcast_to(_expand(gy, self.axes, self.keepdims), self.shape)


class Mean(Function):
    saved = ("axes", "count", "shape")

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.shape = x.shape
        if self.axis is None and not self.keepdims:  # the common loss reduction: keep it cheap
            self.axes, self.count = None, x.size
            return np.asarray(x.sum() / self.count, dtype=x.dtype if x.dtype.kind == "f" else None)
        self.axes = _axes(self.axis, x.ndim)
        self.count = int(np.prod([self.shape[a] for a in self.axes]))
        y = np.mean(x, axis=self.axes, keepdims=self.keepdims)
        return y.astype(x.dtype, copy=False) if x.dtype.kind == "f" else y

    def backward(self, gy):
        if self.axes is None:
            return np.full(self.shape, gy / self.count, dtype=gy.dtype)
        g = _expand(gy, self.axes, self.keepdims) / self.count
        return np.broadcast_to(g.astype(gy.dtype, copy=False), self.shape)


class Extremum(Function):
    """max or min; ties share the gradient equally (as TensorFlow's reduce_max)."""

    saved = ("axes", "hits", "shape")

    def __init__(self, reduce, axis, keepdims):
        self.reduce, self.axis, self.keepdims = reduce, axis, keepdims

    def forward(self, x):
        self.shape = x.shape
        self.axes = _axes(self.axis, x.ndim)
        y = self.reduce(x, axis=self.axes, keepdims=True)
        self.hits = x == y
        return y if self.keepdims else np.squeeze(y, axis=self.axes)

    def backward(self, gy):
        g = _expand(gy, self.axes, self.keepdims)
        count = self.hits.sum(axis=self.axes, keepdims=True)
        return (self.hits * (g / count)).astype(gy.dtype, copy=False)


class Prod(Function):
    """Product over axes; an entry's gradient is the product of the others (exact when zeros occur)."""

    saved = ("axes", "x", "y")

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.x, self.axes = x, _axes(self.axis, x.ndim)
        self.y = np.prod(x, axis=self.axes, keepdims=True)
        return self.y if self.keepdims else np.squeeze(self.y, axis=self.axes)

    def backward(self, gy):
        g = _expand(gy, self.axes, self.keepdims)
        zero = self.x == 0
        if not zero.any():
            return g * self.y / self.x
        zeros = zero.sum(axis=self.axes, keepdims=True)
        others = np.prod(np.where(zero, 1, self.x), axis=self.axes, keepdims=True)  # product without the zeros
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = np.where(zeros == 0, self.y / self.x, np.where(zero & (zeros == 1), others, 0))
        return (g * grad).astype(gy.dtype, copy=False)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    return Sum(axis, keepdims)(as_tensor(x))


def mean(x, axis=None, keepdims=False):
    return Mean(axis, keepdims)(as_tensor(x))


def prod(x, axis=None, keepdims=False, dtype=None):
    from npkeras.ops.math import cast

    x = as_tensor(x)
    if dtype is not None:
        x = cast(x, dtype)
    elif x.dtype == bool:
        x = cast(x, "int32")
    return Prod(axis, keepdims)(x)


def average(x, axis=None, weights=None):
    """The mean, or the weighted mean sum(x * w) / sum(w); 1-D weights run along `axis`."""
    from npkeras.ops.math import divide, multiply
    from npkeras.ops.shaping import reshape

    x = as_tensor(x)
    if weights is None:
        return mean(x, axis)
    w = as_tensor(weights)
    if w.shape != x.shape:
        if axis is None or w.ndim != 1 or w.shape[0] != x.shape[axis]:
            raise ValueError(
                f"average: `weights` must have the shape of `x` {x.shape}, or be 1-D along `axis`. "
                f"Received weights of shape {w.shape} with axis={axis}"
            )
        w = reshape(w, [n if i == axis % x.ndim else 1 for i, n in enumerate(x.shape)])
    return divide(sum(multiply(x, w), axis), sum(w * np.ones(x.shape, w.dtype), axis))


def var(x, axis=None, keepdims=False):
    """Population variance (divides by N), as keras.ops.var."""
    from npkeras.ops.math import square, subtract

    x = as_tensor(x)
    return mean(square(subtract(x, mean(x, axis, keepdims=True))), axis, keepdims)


def std(x, axis=None, keepdims=False):
    from npkeras.ops.math import sqrt

    return sqrt(var(x, axis, keepdims))


def _extremum(x, axis, keepdims, initial, reduce, combine):
    """max or min, differentiable; `initial` bounds the result as in NumPy."""
    x = as_tensor(x)
    if x.size == 0:
        if initial is None:
            raise ValueError(f"Cannot compute the {reduce.__name__} of an empty tensor without `initial`.")
        return Tensor(reduce(x.data, axis=axis, keepdims=keepdims, initial=initial))
    y = Extremum(reduce, axis, keepdims)(x)
    return y if initial is None else combine(y, initial)


def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001 - Keras's name
    from npkeras.ops.math import maximum

    return _extremum(x, axis, keepdims, initial, np.max, maximum)


def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001 - Keras's name
    from npkeras.ops.math import minimum

    return _extremum(x, axis, keepdims, initial, np.min, minimum)


def amax(x, axis=None, keepdims=False):
    return max(x, axis, keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis, keepdims)


def ptp(x, axis=None, keepdims=False):
    """The range, max - min."""
    from npkeras.ops.math import subtract

    return subtract(max(x, axis, keepdims), min(x, axis, keepdims))


def argmax(x, axis=None, keepdims=False):
    return Tensor(np.argmax(np.asarray(x), axis=axis, keepdims=keepdims))


def argmin(x, axis=None, keepdims=False):
    return Tensor(np.argmin(np.asarray(x), axis=axis, keepdims=keepdims))
