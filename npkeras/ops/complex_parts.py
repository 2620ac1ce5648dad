"""real, imag, conj, angle for npkeras's real tensors: real and conj pass values (and gradients) through,
imag is zero, angle is pi where x < 0 (no gradient)."""

import numpy as np

from npkeras.autograd.tensor import Tensor, as_tensor


def real(x):
    return as_tensor(x)


def conj(x):
    return as_tensor(x)


conjugate = conj


def imag(x):
    x = as_tensor(x)
    return Tensor(np.zeros(x.shape, x.dtype if x.dtype.kind in "fc" else np.float32))


def angle(x):
    from npkeras.ops.trigonometry import as_float

    x = as_float(x)
    return Tensor(np.angle(x.data).astype(x.dtype, copy=False))
