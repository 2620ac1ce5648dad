"""keras.random's sampling functions: each returns an npkeras Tensor (floatx unless `dtype` says otherwise).

`seed`: None draws from this thread's npkeras stream (seeded by keras.utils.set_random_seed), an integer gives
the same values on every call, a SeedGenerator advances on every call.
"""

import numpy as np

from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.backend.config import standardize_dtype
from npkeras.ops import nn
from npkeras.random.seed_generator import draw_generator


def _shape(shape):
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(d) for d in shape)


def _float_dtype(dtype, fn):
    name = standardize_dtype(dtype)
    if np.dtype(name).kind != "f":
        raise ValueError(f"`keras.random.{fn}` requires a floating point `dtype`. Received: dtype={dtype} ")
    return name


def _values(x):
    return np.asarray(x.data if isinstance(x, Tensor) else x)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples of N(mean, stddev^2)."""
    dtype = standardize_dtype(dtype)
    rng = draw_generator(seed)
    return Tensor(rng.normal(loc=_values(mean), scale=_values(stddev), size=_shape(shape)).astype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples of U[minval, maxval)."""
    dtype = _float_dtype(dtype, "uniform")
    rng = draw_generator(seed)
    return Tensor(rng.uniform(low=_values(minval), high=_values(maxval), size=_shape(shape)).astype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from [minval, maxval)."""
    name = standardize_dtype(dtype)
    if np.dtype(name).kind not in "iu":
        raise ValueError(f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype} ")
    rng = draw_generator(seed)
    return Tensor(rng.integers(_values(minval), _values(maxval), size=_shape(shape)).astype(name))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """N(mean, stddev^2) samples, every one more than two standard deviations from the mean drawn again."""
    dtype = standardize_dtype(dtype)
    rng = draw_generator(seed)
    shape = _shape(shape)
    z = rng.standard_normal(shape)
    outside = np.abs(z) > 2.0
    while outside.any():  # each round redraws only the rejected values (about 4.6% of the last round)
        z[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(z) > 2.0
    return Tensor((z * _values(stddev) + _values(mean)).astype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Inverted dropout of `inputs`: a fraction `rate` set to 0, the rest scaled by 1 / (1 - rate).
    Differentiable: the gradient flows through the kept units, scaled the same way."""
    x = as_tensor(inputs)
    if not 0 <= rate <= 1:
        raise ValueError(f"Invalid value received for argument `rate`. Expected a float in [0, 1]. Received: {rate}")
    if rate == 0:
        return x
    if rate == 1:
        return x * np.zeros((), dtype=x.dtype)
    if noise_shape is not None:
        if len(noise_shape) != x.ndim:
            raise ValueError(
                f"`noise_shape` must have one entry per axis of `inputs` ({x.ndim}). "
                f"Received: noise_shape={noise_shape}"
            )
        noise_shape = tuple(d if n is None else int(n) for n, d in zip(noise_shape, x.shape))
    return nn.Dropout(rate, noise_shape, draw_generator(seed))(x)


def shuffle(x, axis=0, seed=None):
    """`x` with its slices along `axis` in a random order (each slice kept whole, as the TensorFlow and JAX
    backends shuffle)."""
    values = _values(x)
    rng = draw_generator(seed)
    return Tensor(np.take(values, rng.permutation(values.shape[axis]), axis=axis))


def categorical(logits, num_samples, dtype="int32", seed=None):
    """`num_samples` class indices per row of the 2-D `logits` (batch, classes), drawn with probabilities
    softmax(logits); returns (batch, num_samples)."""
    values = _values(logits)
    if values.ndim != 2:
        raise ValueError(
            f"`logits` should be a 2-D tensor with shape [batch_size, num_classes]. Received: logits={logits}"
        )
    rng = draw_generator(seed)
    z = values.astype(np.float64)
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    cdf = np.cumsum(z / z.sum(axis=-1, keepdims=True), axis=-1)
    u = rng.random((values.shape[0], int(num_samples)))
    index = (u[:, :, None] >= cdf[:, None, :]).sum(axis=-1)  # the first class whose cdf passes u
    return Tensor(np.minimum(index, values.shape[1] - 1).astype(standardize_dtype(dtype)))


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples of Gamma(alpha, scale 1)."""
    dtype = standardize_dtype(dtype)
    rng = draw_generator(seed)
    return Tensor(rng.gamma(_values(alpha), scale=1.0, size=_shape(shape)).astype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples of Binomial(counts, probabilities): successes in `counts` trials (as floats unless `dtype`)."""
    dtype = standardize_dtype(dtype)
    rng = draw_generator(seed)
    counts = _values(counts).astype(np.int64)
    return Tensor(rng.binomial(counts, _values(probabilities), size=_shape(shape)).astype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples of Beta(alpha, beta), in [0, 1]."""
    dtype = standardize_dtype(dtype)
    rng = draw_generator(seed)
    return Tensor(rng.beta(_values(alpha), _values(beta), size=_shape(shape)).astype(dtype))
