"""Special functions: erf and its inverse."""

import math

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor
from npkeras.ops.activation import erf as erf_array
from npkeras.ops.trigonometry import as_float

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def erf_values(x):
    """erf to float64 accuracy: its Maclaurin series below |x| = 2.5, the rational erfc fit beyond
    (where erfc < 4.1e-4, so the fit's relative error of 1.2e-7 is below 5e-11). Smooth through 0."""
    x = np.asarray(x, dtype=np.float64)
    z = np.clip(x, -2.5, 2.5)
    term, total, z2 = z.copy(), z.copy(), z * z
    for n in range(1, 60):  # a loop over series terms, not elements; the last term is below 1e-17
        term *= -z2 / n
        total += term / (2 * n + 1)
    return np.where(np.abs(x) < 2.5, _TWO_OVER_SQRT_PI * total, erf_array(x))


class Erf(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return erf_values(x).astype(x.dtype, copy=False)

    def backward(self, gy):
        return gy * _TWO_OVER_SQRT_PI * np.exp(-self.x * self.x)


class Erfinv(Function):
    """The inverse of erf: a rational first guess refined by Newton steps on erf itself."""

    saved = ("y",)

    def forward(self, x):
        a = 0.147  # Winitzki's approximation, then Newton: erf(y) = x
        xd = x.astype(np.float64)
        ln = np.log1p(-xd * xd)
        t = 2 / (math.pi * a) + ln / 2
        y = np.sign(xd) * np.sqrt(np.sqrt(t * t - ln / a) - t)
        for _ in range(3):
            y = y - (erf_values(y) - xd) / (_TWO_OVER_SQRT_PI * np.exp(-y * y))
        self.y = y.astype(x.dtype)
        return self.y

    def backward(self, gy):
        return gy / (_TWO_OVER_SQRT_PI * np.exp(-self.y * self.y))


def erf(x):
    return Erf()(as_float(x))


def i0(x):
    """The modified Bessel function of the first kind, order 0 (no gradient)."""
    x = as_float(x)
    return Tensor(np.i0(x.data).astype(x.dtype, copy=False))


def nextafter(x1, x2):
    """The next representable float after x1 towards x2."""
    from npkeras.ops.trigonometry import _float_pair

    a, b = _float_pair(x1, x2)
    return Tensor(np.nextafter(a.data, b.data))


def erfinv(x):
    return Erfinv()(as_float(x))


def erfc(x):
    """1 - erf(x)."""
    from npkeras.ops.math import subtract

    x = as_float(x)
    return subtract(np.asarray(1, x.dtype), erf(x))
