"""Diagonals and triangles of matrices: diag, diagonal, trace, triu, tril."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.axes import canonical_axis


class Diagonal(Function):
    """np.diagonal (the diagonal's axis goes last); backward writes gy back onto that diagonal."""

    saved = ("in_shape",)

    def __init__(self, offset, axis1, axis2):
        self.offset, self.axis1, self.axis2 = offset, axis1, axis2

    def forward(self, x):
        self.in_shape = x.shape
        return np.diagonal(x, self.offset, self.axis1, self.axis2).copy()

    def backward(self, gy):
        gx = np.zeros(self.in_shape, gy.dtype)
        view = np.moveaxis(gx, (self.axis1, self.axis2), (-2, -1))  # a view: writes land in gx
        k = gy.shape[-1]
        rows = np.arange(k) + max(-self.offset, 0)
        view[..., rows, rows + self.offset] = gy
        return gx


class DiagMatrix(Function):
    """A square matrix with the vector x on its k-th diagonal; backward reads that diagonal."""

    def __init__(self, k):
        self.k = k

    def forward(self, x):
        return np.diag(x, self.k)

    def backward(self, gy):
        return np.diagonal(gy, self.k).copy()


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"diagonal: `x` must have rank >= 2. Received shape {x.shape}.")
    a1, a2 = canonical_axis(axis1, x.ndim, "diagonal"), canonical_axis(axis2, x.ndim, "diagonal")
    if a1 == a2:
        raise ValueError(f"diagonal: `axis1` and `axis2` must differ. Received axis1={axis1}, axis2={axis2}")
    return Diagonal(int(offset), a1, a2)(x)


def diag(x, k=0):
    """The k-th diagonal of a matrix, or the matrix holding a vector on its k-th diagonal."""
    x = as_tensor(x)
    if x.ndim == 1:
        return DiagMatrix(int(k))(x)
    if x.ndim == 2:
        return diagonal(x, k)
    raise ValueError(f"diag: `x` must be 1-D or 2-D. Received shape {x.shape}.")


def trace(x, offset=0, axis1=0, axis2=1):
    from npkeras.ops.reduction import sum

    return sum(diagonal(x, offset, axis1, axis2), axis=-1)


def _triangle(x, k, lower, op_name):
    from npkeras.ops.math import multiply

    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"{op_name}: `x` must have rank >= 2. Received shape {x.shape}.")
    n, m = x.shape[-2:]
    mask = np.tri(n, m, k, dtype=bool) if lower else ~np.tri(n, m, k - 1, dtype=bool)
    return multiply(x, mask.astype(x.dtype))


def tril(x, k=0):
    return _triangle(x, int(k), True, "tril")


def triu(x, k=0):
    return _triangle(x, int(k), False, "triu")


def diagflat(x, k=0):
    from npkeras.ops.shaping import ravel

    return DiagMatrix(int(k))(ravel(x))
