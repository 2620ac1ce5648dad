"""Constant-producing and comparison ops (no gradient flows through these)."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.arrays import numeric_array
from npkeras.backend.config import standardize_dtype
from npkeras.ops.math import cast


def convert_to_tensor(x, dtype=None, sparse=None):
    """Keras's ops.convert_to_tensor: arrays, lists and scalars to a Tensor. Text (str, or arrays and lists of
    str) becomes a Tensor of str, as Keras's TensorFlow backend makes a string tensor: for string Inputs and
    the lookup layers."""
    if isinstance(x, Tensor):
        return x if dtype is None else cast(x, standardize_dtype(dtype))
    dtype = None if dtype is None else standardize_dtype(dtype)
    if dtype in (None, "string") and _is_text(x):
        return Tensor(np.asarray(x, dtype=str))
    return Tensor(numeric_array(x, "convert_to_tensor's input", dtype=dtype))


def _is_text(x):
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    return isinstance(x, str) or (isinstance(x, np.ndarray) and x.dtype.kind in "US")


def array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def convert_to_numpy(x):
    return np.asarray(x)


def zeros(shape, dtype=None):
    return Tensor(np.zeros(shape, dtype=standardize_dtype(dtype)))


def ones(shape, dtype=None):
    return Tensor(np.ones(shape, dtype=standardize_dtype(dtype)))


def full(shape, fill_value, dtype=None):
    return Tensor(np.full(shape, fill_value, dtype=standardize_dtype(dtype)))


def zeros_like(x, dtype=None):
    return Tensor(np.zeros(np.shape(x), dtype=dtype or np.asarray(x).dtype))


def ones_like(x, dtype=None):
    return Tensor(np.ones(np.shape(x), dtype=dtype or np.asarray(x).dtype))


def full_like(x, fill_value, dtype=None):
    return Tensor(np.full(np.shape(x), fill_value, dtype=dtype or np.asarray(x).dtype))


def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - Keras's names
    return Tensor(np.eye(int(N), None if M is None else int(M), int(k), dtype=standardize_dtype(dtype)))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):  # noqa: N803 - Keras's names
    """Ones at and below the k-th diagonal."""
    return Tensor(np.tri(int(N), None if M is None else int(M), int(k), dtype=standardize_dtype(dtype)))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from start to stop (floatx unless `dtype`); with retstep, also the step."""
    if int(num) < 0:
        raise ValueError(f"linspace: `num` must be non-negative. Received num={num}")
    values, step = np.linspace(
        np.asarray(start), np.asarray(stop), int(num), endpoint=endpoint, retstep=True, axis=axis
    )
    values = Tensor(values.astype(standardize_dtype(dtype)))
    return (values, Tensor(np.asarray(step, dtype=values.dtype))) if retstep else values


def empty(shape, dtype=None):
    return zeros(shape, dtype)  # NumPy's uninitialised memory would make results depend on chance


def empty_like(x, dtype=None):
    return zeros_like(x, dtype)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    values = np.logspace(np.asarray(start), np.asarray(stop), int(num), endpoint=endpoint, base=base, axis=axis)
    return Tensor(values.astype(standardize_dtype(dtype)))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    values = np.geomspace(np.asarray(start), np.asarray(stop), int(num), endpoint=endpoint, axis=axis)
    return Tensor(values.astype(standardize_dtype(dtype)))


def arange(start, stop=None, step=1, dtype=None):
    return Tensor(np.arange(start, stop, step, dtype=dtype))


def one_hot(x, num_classes, axis=-1, dtype=None):
    labels = np.asarray(x).astype(np.int64)
    out = (labels[..., None] == np.arange(num_classes)).astype(standardize_dtype(dtype))  # -1: all zeros
    return Tensor(np.moveaxis(out, -1, axis) if axis != -1 else out)


def _compare(ufunc):
    def op(x1, x2):
        return Tensor(ufunc(np.asarray(x1), np.asarray(x2)))

    op.__name__ = ufunc.__name__
    return op


equal = _compare(np.equal)
not_equal = _compare(np.not_equal)
greater = _compare(np.greater)
greater_equal = _compare(np.greater_equal)
less = _compare(np.less)
less_equal = _compare(np.less_equal)
logical_and = _compare(np.logical_and)
logical_or = _compare(np.logical_or)


def sign(x):
    return Tensor(np.sign(np.asarray(x)))
