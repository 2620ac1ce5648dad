"""Activation ops: relu (Keras's general form), sigmoid, tanh, softmax, log_softmax, ..."""

import math
import warnings

import numpy as np

from npkeras.autograd.annotations import TensorAnnotation
from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.backend import elementwise
from npkeras.backend.global_state import context


class Relu(Function):
    """Keras's relu: negative_slope * (x - threshold) below threshold, capped at max_value."""

    saved = ("slope",)

    def __init__(self, negative_slope=0.0, max_value=None, threshold=0.0):
        self.negative_slope, self.max_value, self.threshold = negative_slope, max_value, threshold

    def forward(self, x):
        if self.negative_slope == 0.0 and self.max_value is None and self.threshold == 0.0:
            y = elementwise.relu(x)
            if context.grad_mode is not False:  # outside autograd (evaluate, predict) no backward needs it
                self.slope = y > 0
            return y
        below = x < self.threshold
        y = np.where(below, self.negative_slope * (x - self.threshold), x)
        self.slope = np.where(below, self.negative_slope, 1.0).astype(x.dtype)
        if self.max_value is not None:
            capped = x >= self.max_value
            y = np.where(capped, self.max_value, y)
            self.slope = np.where(capped, 0.0, self.slope).astype(x.dtype)
        return y.astype(x.dtype, copy=False)

    def backward(self, gy):
        return gy * self.slope


class Sigmoid(Function):
    saved = ("y",)

    def forward(self, x):
        e = np.exp(-np.abs(x))  # never overflows; exact in both tails
        self.y = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        return self.y

    def backward(self, gy):
        return gy * self.y * (1 - self.y)


class Tanh(Function):
    saved = ("y",)

    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, gy):
        return gy * (1 - self.y * self.y)


class Softmax(Function):
    saved = ("y",)

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        e = np.exp(x - x.max(axis=self.axis, keepdims=True))
        e /= e.sum(axis=self.axis, keepdims=True)
        self.y = e
        return e

    def backward(self, gy):
        y = self.y
        return y * (gy - (gy * y).sum(axis=self.axis, keepdims=True))


class LogSoftmax(Function):
    saved = ("y",)

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        z = x - x.max(axis=self.axis, keepdims=True)
        self.y = z - np.log(np.exp(z).sum(axis=self.axis, keepdims=True))
        return self.y

    def backward(self, gy):
        return gy - np.exp(self.y) * gy.sum(axis=self.axis, keepdims=True)


class Elu(Function):
    saved = ("positive", "y")

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, x):
        self.positive = x > 0
        self.y = np.where(self.positive, x, self.alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)
        return self.y

    def backward(self, gy):
        return gy * np.where(self.positive, 1.0, self.y + self.alpha).astype(gy.dtype, copy=False)


def erf(x):
    """Vectorised error function (Numerical Recipes' erfc, fractional error < 1.2e-7)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (
        -z * z
        - 1.26551223
        + t
        * (
            1.00002368
            + t
            * (
                0.37409196
                + t
                * (
                    0.09678418
                    + t
                    * (
                        -0.18628806
                        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))
                    )
                )
            )
        )
    )
    erfc = t * np.exp(poly)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0)


class Gelu(Function):
    """GELU: x * Phi(x), exactly or with the tanh approximation."""

    saved = ("cdf", "t", "x")

    def __init__(self, approximate=False):
        self.approximate = approximate

    def forward(self, x):
        self.x = x
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            self.t = np.tanh(c * (x + 0.044715 * x**3))
            return (0.5 * x * (1 + self.t)).astype(x.dtype, copy=False)
        self.cdf = 0.5 * (1 + erf(x / math.sqrt(2)))
        return (x * self.cdf).astype(x.dtype, copy=False)

    def backward(self, gy):
        x = self.x
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            dt = (1 - self.t**2) * c * (1 + 3 * 0.044715 * x**2)
            return (gy * (0.5 * (1 + self.t) + 0.5 * x * dt)).astype(gy.dtype, copy=False)
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return (gy * (self.cdf + x * pdf)).astype(gy.dtype, copy=False)


class Softplus(Function):
    saved = ("x",)

    def forward(self, x):
        self.x = x
        return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype, copy=False)

    def backward(self, gy):
        e = np.exp(-np.abs(self.x))
        return gy * np.where(self.x >= 0, 1 / (1 + e), e / (1 + e)).astype(gy.dtype, copy=False)


class Softsign(Function):
    saved = ("denominator",)

    def forward(self, x):
        self.denominator = 1 + np.abs(x)
        return x / self.denominator

    def backward(self, gy):
        return gy / (self.denominator * self.denominator)


class Silu(Function):
    """x * sigmoid(x) (also called swish)."""

    saved = ("s", "x")

    def forward(self, x):
        e = np.exp(-np.abs(x))
        self.x = x
        self.s = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        return x * self.s

    def backward(self, gy):
        s = self.s
        return gy * (s + self.x * s * (1 - s))


class HardSigmoid(Function):
    """relu6(x + 3) / 6, Keras 3's hard_sigmoid."""

    saved = ("inside",)

    def forward(self, x):
        self.inside = (x > -3) & (x < 3)
        return np.clip(x / 6 + 0.5, 0, 1).astype(x.dtype, copy=False)

    def backward(self, gy):
        return gy * self.inside / 6


class LogSumExp(Function):
    saved = ("softmax",)

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        m = x.max(axis=self.axis, keepdims=True)
        total = np.exp(x - m).sum(axis=self.axis, keepdims=True)
        y = np.log(total) + m
        self.softmax = np.exp(x - y)
        return y if self.keepdims else np.squeeze(y, axis=self.axis)

    def backward(self, gy):
        if not self.keepdims and self.axis is not None:
            gy = np.expand_dims(gy, self.axis)
        return gy * self.softmax


def relu(x):
    return Relu()(as_tensor(x))


def relu6(x):
    return Relu(max_value=6.0)(as_tensor(x))


# The logits behind each softmax/sigmoid output: crossentropy uses them directly, as Keras's TF backend does.
_logits = TensorAnnotation("logits")


def logits_of(output):
    """The logits a `softmax` (last axis) or `sigmoid` output was computed from, else None."""
    return _logits.get(output)


def sigmoid(x):
    out = Sigmoid()(x := as_tensor(x))
    _logits.set(out, x)
    return out


def tanh(x):
    return Tanh()(as_tensor(x))


def softmax(x, axis=-1):
    x = as_tensor(x)
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {tuple(x.shape)}. This axis has size 1. "
            "The softmax operation will always return the value 1, which is likely not what you intended. "
            "Did you mean to use a sigmoid instead?",
            stacklevel=1,  # where Keras points: the op itself
        )
    out = Softmax(axis)(x)
    if axis in (-1, x.ndim - 1):
        _logits.set(out, x)
    return out


def log_softmax(x, axis=-1):
    return LogSoftmax(axis)(as_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    return Relu(negative_slope=negative_slope)(as_tensor(x))


def elu(x, alpha=1.0):
    return Elu(alpha)(as_tensor(x))


def gelu(x, approximate=True):
    return Gelu(approximate)(as_tensor(x))


def softplus(x):
    return Softplus()(as_tensor(x))


def softsign(x):
    return Softsign()(as_tensor(x))


def silu(x):
    return Silu()(as_tensor(x))


swish = silu


def hard_sigmoid(x):
    return HardSigmoid()(as_tensor(x))


def selu(x):
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return Elu(alpha)(as_tensor(x)) * scale


def logsumexp(x, axis=None, keepdims=False):
    return LogSumExp(axis, keepdims)(as_tensor(x))
