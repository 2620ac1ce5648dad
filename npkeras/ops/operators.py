"""Python operators and NumPy ufuncs on Tensors, routed to differentiable ops."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.ops import activation, creation, math, reduction, shaping


def _install():
    T = Tensor
    T.__add__ = lambda a, b: math.add(a, b)
    T.__radd__ = lambda a, b: math.add(b, a)
    T.__sub__ = lambda a, b: math.subtract(a, b)
    T.__rsub__ = lambda a, b: math.subtract(b, a)
    T.__mul__ = lambda a, b: math.multiply(a, b)
    T.__rmul__ = lambda a, b: math.multiply(b, a)
    T.__truediv__ = lambda a, b: math.divide(a, b)
    T.__rtruediv__ = lambda a, b: math.divide(b, a)
    T.__pow__ = lambda a, b: math.power(a, b)
    T.__rpow__ = lambda a, b: math.power(b, a)
    T.__matmul__ = lambda a, b: math.matmul(a, b)
    T.__rmatmul__ = lambda a, b: math.matmul(b, a)
    T.__neg__ = lambda a: math.negative(a)
    T.__pos__ = lambda a: a
    T.__abs__ = lambda a: math.absolute(a)
    T.__getitem__ = lambda a, key: shaping.getitem(a, key)
    T.__eq__ = lambda a, b: creation.equal(a, b)
    T.__ne__ = lambda a, b: creation.not_equal(a, b)
    T.__lt__ = lambda a, b: creation.less(a, b)
    T.__le__ = lambda a, b: creation.less_equal(a, b)
    T.__gt__ = lambda a, b: creation.greater(a, b)
    T.__ge__ = lambda a, b: creation.greater_equal(a, b)
    T.__array_ufunc__ = _array_ufunc
    T.T = property(lambda a: shaping.transpose(a))
    T.reshape = lambda a, *s: shaping.reshape(a, s[0] if len(s) == 1 else s)
    T.transpose = lambda a, *axes: shaping.transpose(a, (axes[0] if len(axes) == 1 else axes) or None)
    T.sum = _reduction_method(reduction.sum, np.sum)
    T.mean = _reduction_method(reduction.mean, np.mean)
    T.max = _reduction_method(reduction.max, np.max)
    T.min = _reduction_method(reduction.min, np.min)
    T.astype = lambda a, dtype: math.cast(a, dtype)


def _reduction_method(op, numpy_fn):
    """Tensor.sum/mean/max/min; NumPy's np.sum(t, dtype=..., out=...) falls back to arrays."""

    def method(self, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
        if dtype is not None:
            kwargs["dtype"] = dtype
        if out is not None:
            kwargs["out"] = out
        if kwargs:
            return numpy_fn(self.data, axis=axis, keepdims=keepdims, **kwargs)
        return op(self, axis, keepdims)

    method.__name__ = numpy_fn.__name__
    return method


_UFUNCS = {
    np.add: math.add,
    np.subtract: math.subtract,
    np.multiply: math.multiply,
    np.divide: math.divide,
    np.power: math.power,
    np.matmul: math.matmul,
    np.negative: math.negative,
    np.exp: math.exp,
    np.log: math.log,
    np.sqrt: math.sqrt,
    np.square: math.square,
    np.absolute: math.absolute,
    np.maximum: math.maximum,
    np.minimum: math.minimum,
    np.tanh: activation.tanh,
}


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """`ndarray + tensor` and `np.exp(tensor)` stay differentiable; other ufuncs give arrays."""
    op = _UFUNCS.get(ufunc)
    if method == "__call__" and op is not None and not kwargs:
        return op(*inputs)
    arrays = [x.data if isinstance(x, Tensor) else x for x in inputs]
    if "out" in kwargs:
        kwargs["out"] = tuple(o.data if isinstance(o, Tensor) else o for o in kwargs["out"])
    return getattr(ufunc, method)(*arrays, **kwargs)


_install()
