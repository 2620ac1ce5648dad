"""Training-time noise ops: additive Gaussian noise, multiplicative Gaussian noise, alpha dropout.

Each draws from a NumPy Generator (the layer's own when it has a seed, else this thread's npkeras stream,
as Dropout does) and keeps only the multiplier its backward needs.
"""

import math

import numpy as np

from npkeras.autograd.function import Function
from npkeras.backend import random

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class GaussianNoise(Function):
    """y = x + n, n ~ N(0, stddev^2); dy/dx = 1."""

    def __init__(self, stddev, seed_generator=None):
        self.stddev = stddev
        self.rng = seed_generator or random.generator()

    def forward(self, x):
        noise = self.rng.standard_normal(x.shape, dtype=np.float32).astype(x.dtype, copy=False)
        return x + noise * np.asarray(self.stddev, dtype=x.dtype)

    def backward(self, gy):
        return gy


class GaussianDropout(Function):
    """y = x * n, n ~ N(1, rate / (1 - rate)); dy/dx = n."""

    saved = ("noise",)

    def __init__(self, rate, seed_generator=None):
        self.stddev = math.sqrt(rate / (1.0 - rate))
        self.rng = seed_generator or random.generator()

    def forward(self, x):
        noise = self.rng.standard_normal(x.shape, dtype=np.float32).astype(x.dtype, copy=False)
        self.noise = noise * np.asarray(self.stddev, dtype=x.dtype) + np.asarray(1, dtype=x.dtype)
        return x * self.noise

    def backward(self, gy):
        return gy * self.noise


def alpha_dropout_constants(rate):
    """The affine map (a, b) that keeps SELU's zero mean and unit variance after dropping to alpha' = -alpha*scale:
    a = ((1 - rate) * (1 + rate * alpha'^2)) ** -0.5, b = -a * alpha' * rate."""
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    return a, -a * alpha_p * rate, alpha_p


class AlphaDropout(Function):
    """y = a * (x * keep + alpha' * (1 - keep)) + b with keep ~ Bernoulli(1 - rate); dy/dx = a * keep."""

    saved = ("scale",)

    def __init__(self, rate, noise_shape=None, seed_generator=None):
        self.rate, self.noise_shape = rate, noise_shape
        self.rng = seed_generator or random.generator()

    def forward(self, x):
        shape = x.shape if self.noise_shape is None else self.noise_shape
        keep = (self.rng.random(shape, dtype=np.float32) >= self.rate).astype(x.dtype)
        a, b, alpha_p = alpha_dropout_constants(self.rate)
        self.scale = keep * np.asarray(a, dtype=x.dtype)
        shift = ((1 - keep) * np.asarray(a * alpha_p, dtype=x.dtype) + np.asarray(b, dtype=x.dtype)).astype(x.dtype)
        return (x * self.scale + shift).astype(x.dtype, copy=False)

    def backward(self, gy):
        return gy * self.scale  # the noise broadcasts over x, so this has x's shape
