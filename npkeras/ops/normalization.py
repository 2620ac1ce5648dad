"""Normalization: moments, batch_normalization, and the fused training-mode batch norm."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops import math, reduction, shaping


class BatchNormTraining(Function):
    """y = gamma * (x - mean) / sqrt(var + epsilon) + beta with the batch's own statistics.

    Statistics are taken over every axis but `axis` (biased variance, as Keras). After the
    forward pass `mean` and `variance` hold them for the moving averages. gamma and beta are
    optional (scale=False / center=False), so `forward` takes them by keyword.
    """

    def __init__(self, axis, epsilon, has_gamma=True, has_beta=True):
        self.axis, self.epsilon, self.has_gamma, self.has_beta = axis, epsilon, has_gamma, has_beta

    def forward(self, x, *params):
        axis = self.axis % x.ndim
        self.axes = tuple(a for a in range(x.ndim) if a != axis)
        self.shape = [1] * x.ndim
        self.shape[axis] = x.shape[axis]
        self.mean = x.mean(axis=self.axes)
        centered = x - self.mean.reshape(self.shape)
        self.variance = np.mean(np.square(centered), axis=self.axes)
        self.inv_std = (1.0 / np.sqrt(self.variance + self.epsilon)).astype(x.dtype)
        self.x_hat = centered
        self.x_hat *= self.inv_std.reshape(self.shape)
        params = list(params)
        self.gamma = params.pop(0) if self.has_gamma else None
        y = self.x_hat * self.gamma.reshape(self.shape) if self.has_gamma else self.x_hat.copy()
        if self.has_beta:
            y += params.pop(0).reshape(self.shape)
        return y

    def backward(self, gy):
        grads = []
        n = gy.size // self.inv_std.size
        sum_gy = gy.sum(axis=self.axes)
        sum_gy_xhat = np.sum(gy * self.x_hat, axis=self.axes)
        if self.input_requires_grad(0):
            scale = self.inv_std if self.gamma is None else self.gamma * self.inv_std
            gx = gy - (sum_gy / n).reshape(self.shape)
            gx -= self.x_hat * (sum_gy_xhat / n).reshape(self.shape)
            gx *= scale.reshape(self.shape)
            grads.append(gx)
        else:
            grads.append(None)
        if self.has_gamma:
            grads.append(sum_gy_xhat)
        if self.has_beta:
            grads.append(sum_gy)
        return tuple(grads)


def moments(x, axes, keepdims=False, synchronized=False):
    """Keras's `ops.moments`: the mean and (biased) variance of `x` over `axes`."""
    x = as_tensor(x)
    mean = reduction.mean(x, axis=axes, keepdims=True)
    variance = reduction.mean(math.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = shaping.reshape(mean, variance.shape)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Keras's `ops.batch_normalization`: normalize `x` by given statistics along `axis`."""
    x = as_tensor(x)
    shape = [1] * x.ndim
    shape[axis % x.ndim] = x.shape[axis % x.ndim]

    def along_axis(v):
        return shaping.reshape(as_tensor(v), shape)

    inv = 1.0 / math.sqrt(along_axis(variance) + epsilon)
    if scale is not None:
        inv = inv * along_axis(scale)
    y = (x - along_axis(mean)) * inv
    if offset is not None:
        y = y + along_axis(offset)
    return y
