"""Element-wise arithmetic and math ops with NumPy broadcasting."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.ops.broadcast import sum_to


def _pair(x1, x2):
    """Tensors for a binary op; a Python scalar takes its partner's dtype (weak typing)."""
    if not isinstance(x1, Tensor) and isinstance(x2, Tensor) and np.isscalar(x1):
        return Tensor(np.asarray(x1, dtype=_scalar_dtype(x1, x2))), x2
    if not isinstance(x2, Tensor) and isinstance(x1, Tensor) and np.isscalar(x2):
        return x1, Tensor(np.asarray(x2, dtype=_scalar_dtype(x2, x1)))
    return as_tensor(x1), as_tensor(x2)


def _scalar_dtype(scalar, partner):
    if partner.dtype.kind in "iub" and isinstance(scalar, float):
        return np.result_type(partner.dtype, np.float32)
    return partner.dtype


class Add(Function):
    """a + b with broadcasting; backward passes gy to both inputs, each summed back to its shape."""

    saved = ("shapes",)

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        return a + b

    def backward(self, gy):
        return sum_to(gy, self.shapes[0]), sum_to(gy, self.shapes[1])


class Subtract(Function):
    saved = ("shapes",)

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        return a - b

    def backward(self, gy):
        return sum_to(gy, self.shapes[0]), sum_to(-gy, self.shapes[1])


class Multiply(Function):
    """a * b with broadcasting; backward gives gy * b and gy * a, each summed back to its input's shape."""

    saved = ("a", "b")

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, gy):
        ga = sum_to(gy * self.b, self.a.shape) if self.input_requires_grad(0) else None
        gb = sum_to(gy * self.a, self.b.shape) if self.input_requires_grad(1) else None
        return ga, gb


class Divide(Function):
    saved = ("a", "b")

    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, gy):
        ga = gy / self.b
        gb = sum_to(-ga * self.a / self.b, self.b.shape) if self.input_requires_grad(1) else None
        return sum_to(ga, self.a.shape), gb


class Power(Function):
    saved = ("a", "b", "y")

    def forward(self, a, b):
        self.a, self.b = a, b
        self.y = a**b
        return self.y

    def backward(self, gy):
        a, b = self.a, self.b
        ga = sum_to(gy * b * a ** (b - 1), a.shape) if self.input_requires_grad(0) else None
        gb = None
        if self.input_requires_grad(1):
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = gy * self.y * np.where(a > 0, np.log(np.where(a > 0, a, 1)), 0)
            gb = sum_to(gb, b.shape)
        return ga, gb


class Negative(Function):
    def forward(self, x):
        return -x

    def backward(self, gy):
        return -gy


class Exp(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = np.exp(x)
        return self.y

    def backward(self, gy):
        return gy * self.y


class Log(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.log(x)

    def backward(self, gy):
        return gy / self.x


class Log1p(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.log1p(x)

    def backward(self, gy):
        return gy / (1 + self.x)


class Sqrt(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = np.sqrt(x)
        return self.y

    def backward(self, gy):
        return gy / (2 * self.y)


class Square(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, gy):
        return gy * 2 * self.x


class Absolute(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return np.abs(x)

    def backward(self, gy):
        return gy * np.sign(self.x)


class Maximum(Function):
    """Element-wise max; at ties the gradient goes to the first argument, as TensorFlow does."""

    saved = ("first", "shapes")

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        self.first = a >= b
        return np.maximum(a, b)

    def backward(self, gy):
        ga = np.where(self.first, gy, 0).astype(gy.dtype, copy=False)
        return sum_to(ga, self.shapes[0]), sum_to(gy - ga, self.shapes[1])


class Minimum(Function):
    saved = ("first", "shapes")

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        self.first = a <= b
        return np.minimum(a, b)

    def backward(self, gy):
        ga = np.where(self.first, gy, 0).astype(gy.dtype, copy=False)
        return sum_to(ga, self.shapes[0]), sum_to(gy - ga, self.shapes[1])


class Where(Function):
    saved = ("condition", "shapes")

    def __init__(self, condition):
        self.condition = condition

    def forward(self, a, b):
        self.shapes = a.shape, b.shape
        return np.where(self.condition, a, b)

    def backward(self, gy):
        ga = np.where(self.condition, gy, 0).astype(gy.dtype, copy=False)
        return sum_to(ga, self.shapes[0]), sum_to(gy - ga, self.shapes[1])


class Clip(Function):
    """Gradient flows where lo <= x <= hi, zero outside."""

    saved = ("x",)

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def forward(self, x):
        self.x = x
        return np.clip(x, self.lo, self.hi).astype(x.dtype, copy=False)

    def backward(self, gy):
        return gy * ((self.x >= self.lo) & (self.x <= self.hi))


class Cast(Function):
    saved = ("source",)

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)

    def forward(self, x):
        self.source = x.dtype
        return x.astype(self.dtype)

    def backward(self, gy):
        if self.source.kind != "f" or self.dtype.kind != "f":
            return None
        return gy.astype(self.source)


class MatMul(Function):
    """np.matmul with 1-D promotion and batch broadcasting."""

    saved = ("a", "b")

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.matmul(a, b)

    def backward(self, gy):
        a, b = self.a, self.b
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = gy
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        ga = gb = None
        if self.input_requires_grad(0):
            ga = np.matmul(g2, np.swapaxes(b2, -1, -2))
            ga = sum_to(ga, a2.shape).reshape(a.shape)
        if self.input_requires_grad(1):
            gb = np.matmul(np.swapaxes(a2, -1, -2), g2)
            gb = sum_to(gb, b2.shape).reshape(b.shape)
        return ga, gb


def add(x1, x2):
    return Add()(*_pair(x1, x2))


def subtract(x1, x2):
    return Subtract()(*_pair(x1, x2))


def multiply(x1, x2):
    return Multiply()(*_pair(x1, x2))


def divide(x1, x2):
    return Divide()(*_pair(x1, x2))


def true_divide(x1, x2):
    return divide(x1, x2)


def power(x1, x2):
    return Power()(*_pair(x1, x2))


def negative(x):
    return Negative()(as_tensor(x))


def exp(x):
    return Exp()(as_tensor(x))


def log(x):
    return Log()(as_tensor(x))


def log1p(x):
    return Log1p()(as_tensor(x))


def sqrt(x):
    return Sqrt()(as_tensor(x))


def square(x):
    return Square()(as_tensor(x))


def absolute(x):
    return Absolute()(as_tensor(x))


abs = absolute  # noqa: A001 - Keras exports ops.abs


def maximum(x1, x2):
    return Maximum()(*_pair(x1, x2))


def minimum(x1, x2):
    return Minimum()(*_pair(x1, x2))


def where(condition, x1=None, x2=None):
    """Pick from x1 where condition holds, else from x2; with one argument, the indices."""
    condition = np.asarray(condition).astype(bool)
    if x1 is None and x2 is None:
        return tuple(Tensor(i) for i in np.nonzero(condition))
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` or both should have non-None value.")
    return Where(condition)(*_pair(x1, x2))


def clip(x, x_min, x_max):
    return Clip(x_min, x_max)(as_tensor(x))


def cast(x, dtype):
    x = as_tensor(x)
    if x.dtype == np.dtype(dtype):
        return x
    return Cast(dtype)(x)


def matmul(x1, x2):
    x1, x2 = as_tensor(x1), as_tensor(x2)
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError(f"matmul does not accept scalars. Received shapes {x1.shape} and {x2.shape}.")
    return MatMul()(x1, x2)


def dot(x1, x2):
    """np.dot for tensors up to 2-D (matmul there); a scalar operand multiplies."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return multiply(x1, x2)
    if x1.ndim > 2 or x2.ndim > 2:
        raise ValueError("dot supports tensors of rank <= 2; use matmul for batched products.")
    return matmul(x1, x2)
