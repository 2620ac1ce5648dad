"""Upsampling ops: linear interpolation along an axis (bilinear, per axis); nearest is ops.repeat."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor


def linear_interpolation_matrix(size_in, size_out, dtype=np.float32):
    """(size_in, size_out) weights of half-pixel-centre linear resizing (TensorFlow's `resize` bilinear):
    output j samples the input at (j + 0.5) * size_in / size_out - 0.5, clamped to the edge entries."""
    position = np.clip((np.arange(size_out) + 0.5) * (size_in / size_out) - 0.5, 0, size_in - 1)
    lower = np.floor(position).astype(np.int64)
    upper = np.minimum(lower + 1, size_in - 1)
    frac = position - lower
    matrix = np.zeros((size_in, size_out))
    columns = np.arange(size_out)
    matrix[lower, columns] += 1 - frac
    matrix[upper, columns] += frac
    return matrix.astype(dtype)


class LinearResize(Function):
    """Resize `axis` to `size` by linear interpolation: one GEMM with the interpolation matrix (its transpose back)."""

    saved = ("matrix",)

    def __init__(self, size, axis):
        self.size, self.axis = size, axis

    def forward(self, x):
        self.matrix = linear_interpolation_matrix(x.shape[self.axis], self.size, x.dtype)
        moved = np.moveaxis(x, self.axis, -1)
        return np.moveaxis(moved @ self.matrix, -1, self.axis)

    def backward(self, gy):
        return np.moveaxis(np.moveaxis(gy, self.axis, -1) @ self.matrix.T, -1, self.axis)


def linear_resize(x, size, axis):
    return LinearResize(int(size), axis)(as_tensor(x))
