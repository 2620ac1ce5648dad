"""Arithmetic guarded against NaN, inf and zero divisors: divide_no_nan, nan_to_num, fmod, heaviside, fabs."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor
from npkeras.ops.broadcast import sum_to
from npkeras.ops.trigonometry import _float_pair, as_float


class DivideNoNan(Function):
    """a / b, and 0 where b == 0 (with no gradient there), as TensorFlow's div_no_nan."""

    saved = ("a", "b", "zero")

    def forward(self, a, b):
        self.a, self.b, self.zero = a, b, b == 0
        safe = np.where(self.zero, 1, b)
        return np.where(self.zero, 0, a / safe).astype(np.result_type(a, b), copy=False)

    def backward(self, gy):
        safe = np.where(self.zero, 1, self.b)
        ga = np.where(self.zero, 0, gy / safe)
        gb = sum_to(-ga * self.a / safe, self.b.shape) if self.input_requires_grad(1) else None
        return sum_to(ga, self.a.shape), gb


class NanToNum(Function):
    """NaN to `nan`, +inf to `posinf`, -inf to `neginf`; the gradient passes where x was finite."""

    saved = ("finite",)

    def __init__(self, nan, posinf, neginf):
        self.nan, self.posinf, self.neginf = nan, posinf, neginf

    def forward(self, x):
        self.finite = np.isfinite(x)
        return np.nan_to_num(x, nan=self.nan, posinf=self.posinf, neginf=self.neginf)

    def backward(self, gy):
        return gy * self.finite


class Fmod(Function):
    """C's remainder (the sign of x1): x1 - trunc(x1 / x2) * x2."""

    saved = ("quotient", "shapes")

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        self.quotient = np.trunc(a / b)
        return np.fmod(a, b)

    def backward(self, gy):
        return sum_to(gy, self.shapes[0]), sum_to(-gy * self.quotient, self.shapes[1])


class NanAwareExtremum(Function):
    """fmax/fmin: the larger (smaller) of a and b, the other one where one is NaN; ties go to a."""

    saved = ("first", "shapes")

    def __init__(self, ufunc):
        self.ufunc = ufunc

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        pick_a = (a >= b) if self.ufunc is np.fmax else (a <= b)
        self.first = pick_a | np.isnan(b)
        return self.ufunc(a, b)

    def backward(self, gy):
        ga = np.where(self.first, gy, 0).astype(gy.dtype, copy=False)
        return sum_to(ga, self.shapes[0]), sum_to(gy - ga, self.shapes[1])


def fmax(x1, x2):
    return NanAwareExtremum(np.fmax)(*_float_pair(x1, x2))


def fmin(x1, x2):
    return NanAwareExtremum(np.fmin)(*_float_pair(x1, x2))


def divide_no_nan(x1, x2):
    return DivideNoNan()(*_float_pair(x1, x2))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = as_float(x)
    return NanToNum(nan, posinf, neginf)(x)


def fmod(x1, x2):
    return Fmod()(*_float_pair(x1, x2))


def heaviside(x1, x2):
    """0 below zero, 1 above, x2 at zero (no gradient: it is a step)."""
    a, b = _float_pair(x1, x2)
    return Tensor(np.heaviside(a.data, b.data))


def fabs(x):
    from npkeras.ops.math import absolute

    return absolute(as_float(x))
