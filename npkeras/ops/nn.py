"""Fused layer ops: dense (matmul + bias + activation in one step), add + ReLU, and dropout."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.backend import elementwise, random
from npkeras.backend.global_state import context


class Dense(Function):
    """y = act(x @ kernel + bias) for x of any rank; act is None or "relu" (fused)."""

    saved = ("kernel", "x", "y")

    def __init__(self, relu=False):
        self.relu = relu

    def forward(self, x, kernel, bias=None):
        self.x, self.kernel = x, kernel
        y = x @ kernel
        if bias is not None:
            y += bias
        if self.relu:
            elementwise.relu(y, out=y)
            self.y = y
        return y

    def backward(self, gy):
        if self.relu:
            gy = gy * (self.y > 0)
        x, kernel = self.x, self.kernel
        x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
        g2 = gy.reshape(-1, gy.shape[-1]) if gy.ndim != 2 else gy
        gx = (g2 @ kernel.T).reshape(x.shape) if self.input_requires_grad(0) else None
        gk = x2.T @ g2 if self.input_requires_grad(1) else None  # frozen kernels cost no GEMM
        if len(self.inputs) == 2:
            return gx, gk
        return gx, gk, g2.sum(axis=0) if self.input_requires_grad(2) else None


class AddRelu(Function):
    """max(a + b, 0) for a and b of one shape and dtype, in one new array; a residual block's end."""

    saved = ("passed",)

    def forward(self, a, b):
        y = np.add(a, b)
        elementwise.relu(y, out=y)
        if context.grad_mode is not False:
            self.passed = y > 0
        return y

    def backward(self, gy):
        g = gy * self.passed
        return g, g


def dropout_mask(shape, rate, rng, dtype):
    """Inverted dropout's multiplier: 0 with probability `rate`, else 1 / (1 - rate)."""
    keep = rng.random(shape, dtype=np.float32) >= rate
    return keep * np.asarray(1.0 / (1.0 - rate), dtype=dtype)


class Dropout(Function):
    """Inverted dropout: keep with probability 1 - rate, scale kept values by 1 / (1 - rate)."""

    saved = ("mask",)

    def __init__(self, rate, noise_shape=None, seed_generator=None):
        self.rate, self.noise_shape = rate, noise_shape
        self.rng = seed_generator or random.generator()

    def forward(self, x):
        shape = x.shape if self.noise_shape is None else self.noise_shape
        self.mask = dropout_mask(shape, self.rate, self.rng, x.dtype)
        return x * self.mask

    def backward(self, gy):
        return gy * self.mask
