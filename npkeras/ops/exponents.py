"""Exponentials, logarithms and powers beyond math.py: exp2, expm1, log2, log10, logaddexp, reciprocal, rsqrt."""

import math

import numpy as np

from npkeras.autograd.function import Function
from npkeras.ops.broadcast import sum_to
from npkeras.ops.trigonometry import _float_pair, as_float


class Exp2(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = np.exp2(x)
        return self.y

    def backward(self, gy):
        return gy * self.y * np.asarray(math.log(2), gy.dtype)


class Expm1(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.expm1(x)

    def backward(self, gy):
        return gy * np.exp(self.x)


class Log2(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.log2(x)

    def backward(self, gy):
        return gy / (self.x * np.asarray(math.log(2), self.x.dtype))


class Log10(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.log10(x)

    def backward(self, gy):
        return gy / (self.x * np.asarray(math.log(10), self.x.dtype))


class LogAddExp(Function):
    """log(exp(a) + exp(b)) without overflow; the gradients are the two softmax weights."""

    saved = ("a", "b", "y")

    def forward(self, a, b):
        self.a, self.b = a, b
        self.y = np.logaddexp(a, b)
        return self.y

    def backward(self, g):
        return sum_to(g * np.exp(self.a - self.y), self.a.shape), sum_to(g * np.exp(self.b - self.y), self.b.shape)


class Reciprocal(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = np.reciprocal(x)
        return self.y

    def backward(self, gy):
        return -gy * self.y * self.y


class Rsqrt(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = 1 / np.sqrt(x)
        return self.y

    def backward(self, gy):
        return -0.5 * gy * self.y**3


class Cbrt(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = np.cbrt(x)
        return self.y

    def backward(self, gy):
        return gy / (3 * self.y * self.y)


def exp2(x):
    return Exp2()(as_float(x))


def expm1(x):
    return Expm1()(as_float(x))


def log2(x):
    return Log2()(as_float(x))


def log10(x):
    return Log10()(as_float(x))


def logaddexp(x1, x2):
    return LogAddExp()(*_float_pair(x1, x2))


def reciprocal(x):
    return Reciprocal()(as_float(x))


def rsqrt(x):
    return Rsqrt()(as_float(x))


def cbrt(x):
    return Cbrt()(as_float(x))


def logaddexp2(x1, x2):
    """log2(2**x1 + 2**x2), by logaddexp in natural units."""
    from npkeras.ops.math import divide, multiply

    a, b = _float_pair(x1, x2)
    ln2 = np.asarray(math.log(2), a.dtype)
    return divide(logaddexp(multiply(a, ln2), multiply(b, ln2)), ln2)
