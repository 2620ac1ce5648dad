"""Running sums and products along an axis (the flattened tensor when axis is None)."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.axes import canonical_axis


def _reverse_cumsum(g, axis):
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


class Cumsum(Function):
    """Backward: each input feeds every later output, so its gradient is the reversed running sum."""

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        return np.cumsum(x, axis=self.axis, dtype=x.dtype)

    def backward(self, gy):
        return _reverse_cumsum(gy, self.axis)


class Cumprod(Function):
    """Backward: reversed running sum of gy * y, divided by x; where x is 0 the products of the
    other factors are formed explicitly (exclusive running products on both sides)."""

    saved = ("x", "y")

    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        self.x = x
        self.y = np.cumprod(x, axis=self.axis, dtype=x.dtype)
        return self.y

    def backward(self, gy):
        x, ax = self.x, self.axis
        zero = x == 0
        if not zero.any():
            return _reverse_cumsum(gy * self.y, ax) / x
        # y[j] = before[i] * x[i] * between(i, j]: with the first zero at z, inputs after z get nothing
        # and the first zero's gradient is before[z] * sum_{j>=z} gy[j] * prod(x[z+1..j])
        ones_x = np.where(zero, 1, x)
        seen = np.cumsum(zero, axis=ax)
        safe_y = np.cumprod(ones_x, axis=ax) * (seen == 0)
        g_nonzero = _reverse_cumsum(gy * safe_y, ax) / ones_x
        first = zero & (seen == 1)
        after = np.cumprod(np.where(seen == 0, 1, np.where(first, 1, x)), axis=ax) * (seen >= 1)
        exclusive = np.cumprod(ones_x, axis=ax) / ones_x  # the product of the factors before each position
        lead = np.sum(np.where(first, exclusive, 0), axis=ax, keepdims=True)
        g_first = lead * np.sum(gy * after, axis=ax, keepdims=True)
        return np.where(first, g_first, np.where(seen == 0, g_nonzero, 0)).astype(x.dtype, copy=False)


def _prepare(x, axis, dtype, op_name):
    from npkeras.ops.math import cast
    from npkeras.ops.shaping import ravel

    x = as_tensor(x)
    if dtype is not None:
        x = cast(x, dtype)
    elif x.dtype == bool:
        x = cast(x, "int32")
    if axis is None:
        return ravel(x), 0
    return x, canonical_axis(axis, x.ndim, op_name)


def cumsum(x, axis=None, dtype=None):
    x, axis = _prepare(x, axis, dtype, "cumsum")
    return Cumsum(axis)(x)


def cumprod(x, axis=None, dtype=None):
    x, axis = _prepare(x, axis, dtype, "cumprod")
    return Cumprod(axis)(x)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The trapezoidal rule along `axis`, with sample points x or a constant spacing dx."""
    from npkeras.ops.math import add, multiply
    from npkeras.ops.rearranging import diff
    from npkeras.ops.reduction import sum
    from npkeras.ops.shaping import getitem
    from npkeras.ops.trigonometry import as_float

    y = as_float(y)
    axis = canonical_axis(axis, y.ndim, "trapezoid")
    lead = (slice(None),) * axis
    mids = multiply(add(getitem(y, lead + (slice(1, None),)), getitem(y, lead + (slice(None, -1),))), 0.5)
    if x is None:
        return multiply(sum(mids, axis), dx)
    x = as_float(x)
    spacing = diff(x, axis=-1 if x.ndim == 1 else axis)
    if x.ndim == 1 and y.ndim > 1:
        from npkeras.ops.shaping import reshape

        spacing = reshape(spacing, [-1 if i == axis else 1 for i in range(y.ndim)])
    return sum(multiply(mids, spacing), axis)
