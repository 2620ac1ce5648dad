"""PReLU's op: x where x > 0, alpha * x elsewhere, alpha a learned weight broadcast against x."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.broadcast import sum_to


class ParametricRelu(Function):
    """y = max(x, 0) - alpha * max(-x, 0); alpha broadcasts against x (shared axes have size 1)."""

    saved = ("alpha", "negative", "x")

    def forward(self, x, alpha):
        self.x, self.alpha = x, alpha
        self.negative = x < 0
        return np.where(self.negative, alpha * x, x).astype(x.dtype, copy=False)

    def backward(self, gy):
        gx = galpha = None
        if self.input_requires_grad(0):
            gx = gy * np.where(self.negative, self.alpha, 1).astype(gy.dtype, copy=False)
        if self.input_requires_grad(1):
            galpha = sum_to(np.where(self.negative, gy * self.x, 0).astype(gy.dtype, copy=False), self.alpha.shape)
        return gx, galpha


def parametric_relu(x, alpha):
    return ParametricRelu()(as_tensor(x), as_tensor(alpha))
