"""Signal-processing helpers: the window functions (bartlett, blackman, hamming, hanning, kaiser) and
psnr, the peak signal-to-noise ratio (differentiable)."""

import numpy as np

from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.backend.config import floatx


def _window(fn, x, *args):
    n = int(np.asarray(x.data if isinstance(x, Tensor) else x))
    if n < 0:
        raise ValueError(f"{fn.__name__}: the window length must be non-negative. Received {n}.")
    return Tensor(fn(n, *args).astype(floatx()))


def bartlett(x):
    return _window(np.bartlett, x)


def blackman(x):
    return _window(np.blackman, x)


def hamming(x):
    return _window(np.hamming, x)


def hanning(x):
    return _window(np.hanning, x)


def kaiser(x, beta):
    return _window(np.kaiser, x, float(beta))


def psnr(x1, x2, max_val):
    """20 log10(max_val) - 10 log10(mean((x1 - x2)^2)) over all entries."""
    from npkeras.ops import exponents, math, reduction

    x1, x2 = as_tensor(x1), as_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"Input shapes {x1.shape} and {x2.shape} must match for PSNR calculation. ")
    mse = reduction.mean(math.square(math.subtract(x1, x2)))
    peak = 20 * np.log10(np.asarray(max_val, dtype=x2.dtype))
    return math.subtract(peak, math.multiply(exponents.log10(mse), 10.0))
