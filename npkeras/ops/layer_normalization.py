"""Per-sample normalization: Keras's `ops.layer_normalization` and `ops.rms_normalization`, on one fused op."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor


class LayerNorm(Function):
    """y = (x - c_out) * inv * gamma + beta over `axes`, inv = 1 / sqrt(mean((x - c)^2) + epsilon).

    Three forms share it: layer normalization (c = c_out = the mean), Keras's deprecated
    `rms_scaling` (c = the mean, c_out = 0: x scaled by the variance) and RMS normalization
    (c = c_out = 0). gamma and beta come in their own shapes (the sizes of `axes`) and are optional.

    Backward, with g = dy * gamma, u = x - c_out, s = x - c and n the size of the reduced axes:
    dx = inv * (g - [mean(g) if c_out is the mean]) - inv^3 * s * mean(g * u).
    """

    saved = ("inv", "s", "u", "gamma_b")

    def __init__(self, axes, epsilon, centered=True, centered_output=True, has_gamma=True, has_beta=True):
        self.axes, self.epsilon = tuple(axes), epsilon
        self.centered, self.centered_output = centered, centered_output
        self.has_gamma, self.has_beta = has_gamma, has_beta

    def _broadcast(self, x, param):
        shape = [1] * x.ndim
        for axis, n in zip(self.axes, param.shape if param.ndim == len(self.axes) else [param.size]):
            shape[axis] = n
        return param.reshape(shape)

    def forward(self, x, *params):
        params = list(params)
        gamma = self._broadcast(x, params.pop(0)) if self.has_gamma else None
        beta = self._broadcast(x, params.pop(0)) if self.has_beta else None
        mean = x.mean(axis=self.axes, keepdims=True) if self.centered else None
        self.s = x - mean if self.centered else x
        var = np.mean(self.s * self.s, axis=self.axes, keepdims=True)
        self.inv = (1.0 / np.sqrt(var + self.epsilon)).astype(x.dtype, copy=False)
        self.u = self.s if self.centered_output else x
        y = self.u * self.inv
        if gamma is not None:
            y *= gamma
        if beta is not None:
            y += beta
        self.gamma_b = gamma
        return y.astype(x.dtype, copy=False)

    def backward(self, gy):
        g = gy if self.gamma_b is None else gy * self.gamma_b
        inv, u, s, axes = self.inv, self.u, self.s, self.axes
        grads = []
        if self.input_requires_grad(0):
            term = g - g.mean(axis=axes, keepdims=True) if self.centered_output else g
            gx = inv * term - inv**3 * s * np.mean(g * u, axis=axes, keepdims=True)
            grads.append(gx.astype(gy.dtype, copy=False))
        else:
            grads.append(None)
        others = tuple(a for a in range(gy.ndim) if a not in axes)
        k = 1
        if self.has_gamma:
            gamma_shape = self.inputs[k].shape
            grads.append(np.sum(gy * u * inv, axis=others).reshape(gamma_shape).astype(gy.dtype, copy=False))
            k += 1
        if self.has_beta:
            grads.append(np.sum(gy, axis=others).reshape(self.inputs[k].shape).astype(gy.dtype, copy=False))
        return tuple(grads)


def _axes(axis, ndim):
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    return sorted(int(a) % ndim for a in axes)


def _float(x):
    x = as_tensor(x)
    if x.dtype.kind != "f":
        from npkeras.ops import math

        x = math.cast(x, "float32")
    return x


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, rms_scaling=False):
    """Keras's `ops.layer_normalization`: normalize each sample over `axis` (int or list), then scale and shift.

    `rms_scaling=True` is Keras's deprecated form: x / sqrt(variance + epsilon) * gamma, no shift."""
    x = _float(x)
    epsilon = 1e-7 if epsilon is None else float(epsilon)
    if rms_scaling:
        beta = None
    params = [as_tensor(p) for p in (gamma, beta) if p is not None]
    op = LayerNorm(
        _axes(axis, x.ndim), epsilon, True, not rms_scaling, has_gamma=gamma is not None, has_beta=beta is not None
    )
    return op(x, *params)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Keras's `ops.rms_normalization`: x / sqrt(mean(x^2) + epsilon) * scale over `axis`."""
    x = _float(x)
    epsilon = 1e-7 if epsilon is None else float(epsilon)
    op = LayerNorm(_axes(axis, x.ndim), epsilon, False, False, has_gamma=scale is not None, has_beta=False)
    return op(x, *([as_tensor(scale)] if scale is not None else []))
