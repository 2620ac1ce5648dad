"""L2 normalization (Keras's `ops.normalize` with order 2): x * min(1 / ||x||, 1 / epsilon) along `axis`."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor


class L2Normalize(Function):
    """y = x * s, s = min(rsqrt(sum(x^2, axis)), 1 / epsilon).

    Where the norm is above epsilon, dx = s * (dy - y * sum(dy * y)); where s is capped, dx = dy / epsilon.
    """

    saved = ("capped", "inv_norm", "y")

    def __init__(self, axis=-1, epsilon=1e-12):
        self.axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon

    def forward(self, x):
        with np.errstate(divide="ignore"):
            inv_norm = 1.0 / np.sqrt(np.sum(x * x, axis=self.axis, keepdims=True))
        cap = np.asarray(1.0 / self.epsilon, dtype=x.dtype)
        self.capped = inv_norm >= cap
        self.inv_norm = np.minimum(inv_norm, cap).astype(x.dtype, copy=False)
        self.y = x * self.inv_norm
        return self.y

    def backward(self, gy):
        projection = np.sum(gy * self.y, axis=self.axis, keepdims=True)
        gx = self.inv_norm * (gy - np.where(self.capped, 0, self.y * projection))
        return gx.astype(gy.dtype, copy=False)


def normalize(x, axis=-1, order=2, epsilon=None):
    """Keras's `ops.normalize` for order 2 (the L2 norm); epsilon defaults to Keras's 1e-7."""
    if order != 2:
        raise ValueError(f"npkeras's `normalize` supports order=2 only. Received: order={order}")
    x = as_tensor(x)
    return L2Normalize(axis, 1e-7 if epsilon is None else epsilon)(x)
