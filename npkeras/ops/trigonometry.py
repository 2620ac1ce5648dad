"""Trigonometric and hyperbolic functions, arctan2 and hypot; integer inputs become floatx."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import floatx
from npkeras.ops.broadcast import sum_to


def as_float(x):
    """x as a floating Tensor: integers and booleans are cast to floatx, as Keras's unary math does."""
    from npkeras.ops.math import cast

    x = as_tensor(x)
    return x if x.dtype.kind in "fc" else cast(x, floatx())


class Sin(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.sin(x)

    def backward(self, gy):
        return gy * np.cos(self.x)


class Cos(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.cos(x)

    def backward(self, gy):
        return -gy * np.sin(self.x)


class Tan(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = np.tan(x)
        return self.y

    def backward(self, gy):
        return gy * (1 + self.y * self.y)


class Arcsin(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.arcsin(x)

    def backward(self, gy):
        return gy / np.sqrt(1 - self.x * self.x)


class Arccos(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.arccos(x)

    def backward(self, gy):
        return -gy / np.sqrt(1 - self.x * self.x)


class Arctan(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.arctan(x)

    def backward(self, gy):
        return gy / (1 + self.x * self.x)


class Sinh(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.sinh(x)

    def backward(self, gy):
        return gy * np.cosh(self.x)


class Cosh(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.cosh(x)

    def backward(self, gy):
        return gy * np.sinh(self.x)


class Arcsinh(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.arcsinh(x)

    def backward(self, gy):
        return gy / np.sqrt(self.x * self.x + 1)


class Arccosh(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.arccosh(x)

    def backward(self, gy):
        return gy / np.sqrt(self.x * self.x - 1)


class Arctanh(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.arctanh(x)

    def backward(self, gy):
        return gy / (1 - self.x * self.x)


class Arctan2(Function):
    """atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2)."""

    saved = ("x", "y")

    def forward(self, y, x):
        self.y, self.x = y, x
        return np.arctan2(y, x)

    def backward(self, g):
        r2 = self.x * self.x + self.y * self.y
        return sum_to(g * self.x / r2, self.y.shape), sum_to(-g * self.y / r2, self.x.shape)


class Hypot(Function):
    saved = ("a", "b", "h")

    def forward(self, a, b):
        self.a, self.b = a, b
        self.h = np.hypot(a, b)
        return self.h

    def backward(self, g):
        g = g / self.h
        return sum_to(g * self.a, self.a.shape), sum_to(g * self.b, self.b.shape)


def _float_pair(x1, x2):
    from npkeras.ops.math import _pair

    a, b = _pair(x1, x2)
    a, b = as_float(a), as_float(b)
    dtype = np.result_type(a.dtype, b.dtype)
    from npkeras.ops.math import cast

    return cast(a, dtype), cast(b, dtype)


def sin(x):
    return Sin()(as_float(x))


def cos(x):
    return Cos()(as_float(x))


def tan(x):
    return Tan()(as_float(x))


def arcsin(x):
    return Arcsin()(as_float(x))


def arccos(x):
    return Arccos()(as_float(x))


def arctan(x):
    return Arctan()(as_float(x))


def sinh(x):
    return Sinh()(as_float(x))


def cosh(x):
    return Cosh()(as_float(x))


def arcsinh(x):
    return Arcsinh()(as_float(x))


def arccosh(x):
    return Arccosh()(as_float(x))


def arctanh(x):
    return Arctanh()(as_float(x))


def arctan2(x1, x2):
    return Arctan2()(*_float_pair(x1, x2))


def hypot(x1, x2):
    return Hypot()(*_float_pair(x1, x2))


class Sinc(Function):
    """sin(pi x) / (pi x), 1 at 0; its derivative (cos(pi x) - sinc(x)) / x, 0 at 0."""

    saved = ("x", "y")

    def forward(self, x):
        self.x, self.y = x, np.sinc(x)
        return self.y

    def backward(self, gy):
        x = self.x
        safe = np.where(x == 0, 1, x)
        return gy * np.where(x == 0, 0, (np.cos(np.pi * x) - self.y) / safe)


def sinc(x):
    return Sinc()(as_float(x))


def deg2rad(x):
    from npkeras.ops.math import multiply

    x = as_float(x)
    return multiply(x, np.asarray(np.pi / 180, x.dtype))


def rad2deg(x):
    from npkeras.ops.math import multiply

    x = as_float(x)
    return multiply(x, np.asarray(180 / np.pi, x.dtype))
