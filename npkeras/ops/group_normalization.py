"""Group normalization: the channels split into groups, each normalized over its channels and the other axes."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor


class GroupNorm(Function):
    """y = gamma * (x - mean_g) / sqrt(var_g + epsilon) + beta, statistics per sample and group.

    The batch is seen as (batch, positions, groups, channels per group), the channel axis moved last;
    mean and (biased) variance run over positions and channels of a group. gamma and beta (one per
    channel) are optional, so `forward` takes them after x as the flags say. Backward, with
    g = dy * gamma: dx = inv_std * (g - mean(g) - x_hat * mean(g * x_hat)) over each group.
    """

    saved = ("gamma", "inv_std", "x_hat")

    def __init__(self, groups, axis=-1, epsilon=1e-3, has_gamma=True, has_beta=True):
        self.groups, self.axis, self.epsilon = groups, axis, epsilon
        self.has_gamma, self.has_beta = has_gamma, has_beta

    def _grouped(self, a):
        """`a` as (batch, positions, groups, channels per group), the channel axis moved last."""
        moved = np.moveaxis(a, self.axis, -1)
        return moved.reshape(moved.shape[0], -1, self.groups, moved.shape[-1] // self.groups)

    def _ungrouped(self, a, shape):
        moved = list(shape)
        channels = moved.pop(self.axis % len(shape))
        return np.moveaxis(a.reshape(moved + [channels]), -1, self.axis % len(shape))

    def forward(self, x, *params):
        grouped = self._grouped(x)
        mean = grouped.mean(axis=(1, 3), keepdims=True)
        centered = grouped - mean
        variance = np.mean(centered * centered, axis=(1, 3), keepdims=True)
        self.inv_std = (1.0 / np.sqrt(variance + self.epsilon)).astype(x.dtype, copy=False)
        self.x_hat = centered * self.inv_std
        params = list(params)
        self.gamma = params.pop(0).reshape(self.groups, -1) if self.has_gamma else None
        y = self.x_hat if self.gamma is None else self.x_hat * self.gamma
        if self.has_beta:
            y = y + params.pop(0).reshape(self.groups, -1)
        return self._ungrouped(y.astype(x.dtype, copy=False), x.shape)

    def backward(self, gy):
        g = self._grouped(gy)
        grads = []
        if self.input_requires_grad(0):
            gx_hat = g if self.gamma is None else g * self.gamma
            mean_g = gx_hat.mean(axis=(1, 3), keepdims=True)
            mean_gx = np.mean(gx_hat * self.x_hat, axis=(1, 3), keepdims=True)
            gx = self.inv_std * (gx_hat - mean_g - self.x_hat * mean_gx)
            grads.append(self._ungrouped(gx.astype(gy.dtype, copy=False), gy.shape))
        else:
            grads.append(None)
        if self.has_gamma:
            grads.append(np.sum(g * self.x_hat, axis=(0, 1)).reshape(-1).astype(gy.dtype, copy=False))
        if self.has_beta:
            grads.append(np.sum(g, axis=(0, 1)).reshape(-1).astype(gy.dtype, copy=False))
        return tuple(grads)


def group_normalization(x, groups, gamma=None, beta=None, axis=-1, epsilon=1e-3):
    op = GroupNorm(groups, axis, epsilon, has_gamma=gamma is not None, has_beta=beta is not None)
    params = [as_tensor(p) for p in (gamma, beta) if p is not None]
    return op(as_tensor(x), *params)
