"""Rounding and integer division: floor, ceil, round, trunc, mod, floor_divide.

floor/ceil/round/trunc/floor_divide are piecewise constant and carry no gradient (TensorFlow registers
none); mod's gradient is 1 for x1 and -floor(x1 / x2) for x2.
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor
from npkeras.ops.broadcast import sum_to
from npkeras.ops.trigonometry import as_float


def floor(x):
    return Tensor(np.floor(as_float(x).data))


def ceil(x):
    return Tensor(np.ceil(as_float(x).data))


def trunc(x):
    x = np.asarray(x)
    return Tensor(np.trunc(x) if x.dtype.kind == "f" else x.copy())


def round(x, decimals=0):  # noqa: A001 - Keras's name
    """Half to even, as NumPy and TensorFlow round."""
    x = np.asarray(x)
    return Tensor(np.round(x, decimals))


class Mod(Function):
    """Python's (floored) modulo: the result has the sign of x2."""

    saved = ("quotient", "shapes")

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        self.quotient = np.floor_divide(a, b)
        return np.mod(a, b)

    def backward(self, gy):
        return sum_to(gy, self.shapes[0]), sum_to(-gy * self.quotient, self.shapes[1])


def _operands(x1, x2):
    """Two Tensors of one dtype; a Python scalar takes its partner's dtype, as in math's binary ops."""
    from npkeras.ops.math import _pair, cast

    a, b = _pair(*(x if isinstance(x, Tensor) or np.isscalar(x) else Tensor(np.asarray(x)) for x in (x1, x2)))
    dtype = np.result_type(a.dtype, b.dtype)
    return cast(a, dtype), cast(b, dtype)


def mod(x1, x2):
    return Mod()(*_operands(x1, x2))


def floor_divide(x1, x2):
    a, b = _operands(x1, x2)
    return Tensor(np.floor_divide(a.data, b.data))
