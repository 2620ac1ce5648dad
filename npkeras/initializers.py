"""Weight initializers with Keras 3's names, arguments and defaults."""

import math

import numpy as np

from npkeras.autograd.variable import register_initializer_names
from npkeras.backend import random
from npkeras.backend.config import standardize_dtype
from npkeras.utils.registry import resolve
from npkeras.utils.registry import serialize as serialize_object

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "get",
    "serialize",
]


def compute_fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) as Keras computes them; conv kernels count their receptive field.

    Given both `input_axes` and `output_axes`, the fans are the products of those axes' sizes.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base: `init(shape, dtype=None)` returns an ndarray."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class RandomInitializer(Initializer):
    """An integer seed repeats the same values on every call, as in Keras."""

    def __init__(self, seed=None):
        if seed is not None and not isinstance(seed, (int, np.integer)):
            raise ValueError(f"`seed` must be an integer or None. Received: seed={seed!r}")
        self.seed = seed

    def _rng(self):
        return random.generator() if self.seed is None else np.random.default_rng(self.seed)

    def get_config(self):
        return {"seed": self.seed}


CHUNK = 1 << 18  # values drawn at a time: a draw's float64 temporaries stay near 2 MB whatever the weights' size


def _draw(shape, dtype, sample, scale, shift):
    """An array of `dtype` holding `shift + scale * sample(n)`, drawn in float64 a chunk at a time.

    The Generator's stream runs on across chunks, so the values equal one float64 draw of the whole
    shape cast to `dtype`, while building a layer never holds a float64 copy of its weights.
    """
    out = np.empty(shape, standardize_dtype(dtype))
    flat = out.reshape(-1)
    for start in range(0, flat.size, CHUNK):
        values = sample(min(CHUNK, flat.size - start))
        values *= scale
        values += shift
        flat[start : start + CHUNK] = values
    return out


def _uniform(rng, shape, dtype, minval, maxval):
    return _draw(shape, dtype, rng.random, maxval - minval, minval)


def _normal(rng, shape, dtype, mean, stddev):
    return _draw(shape, dtype, rng.standard_normal, stddev, mean)


def _truncated_normal(rng, shape, dtype, mean, stddev):
    """Normal samples, those beyond two standard deviations redrawn until none is, as in Keras.

    The redraws follow the whole first pass, in order, as they would after one draw of the whole shape.
    """
    beyond, drawn = [np.empty(0, np.intp)], 0  # flat positions of first-pass samples past 2 std

    def sample(n):
        nonlocal drawn
        values = rng.standard_normal(n)
        beyond.append(drawn + np.flatnonzero(np.abs(values) > 2))
        drawn += n
        return values

    out = _draw(shape, dtype, sample, stddev, mean)
    beyond = np.concatenate(beyond)
    redrawn = rng.standard_normal(beyond.size)
    again = np.flatnonzero(np.abs(redrawn) > 2)
    while again.size:
        redrawn[again] = rng.standard_normal(again.size)
        again = again[np.abs(redrawn[again]) > 2]
    out.reshape(-1)[beyond] = mean + stddev * redrawn
    return out


class RandomNormal(RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return _normal(self._rng(), shape, dtype, self.mean, self.stddev)

    def get_config(self):
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    def __call__(self, shape, dtype=None):
        return _truncated_normal(self._rng(), shape, dtype, self.mean, self.stddev)


class RandomUniform(RandomInitializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return _uniform(self._rng(), shape, dtype, self.minval, self.maxval)

    def get_config(self):
        return {"seed": self.seed, "minval": self.minval, "maxval": self.maxval}


class Orthogonal(RandomInitializer):
    """A random orthogonal matrix (the last axis against the product of the others), times `gain`."""

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                f"The tensor to initialize must be at least two-dimensional. Received: shape={tuple(shape)} "
                f"of rank {len(shape)}."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = self._rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))  # a unique, uniformly distributed q
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(standardize_dtype(dtype))

    def get_config(self):
        return {"seed": self.seed, "gain": self.gain}


class VarianceScaling(RandomInitializer):
    def __init__(
        self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None, input_axes=None, output_axes=None
    ):
        super().__init__(seed)
        distribution = distribution.lower() if isinstance(distribution, str) else distribution
        if distribution == "normal":  # Keras's alias
            distribution = "truncated_normal"
        if scale <= 0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode!r}. Expected fan_in, fan_out or fan_avg.")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(
                f"Invalid `distribution` argument: {distribution!r}. Expected truncated_normal, "
                "untruncated_normal or uniform."
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, fan)
        rng = self._rng()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / 0.87962566103423978  # std of a 2-sigma truncated normal
            return _truncated_normal(rng, shape, dtype, 0.0, stddev)
        if self.distribution == "untruncated_normal":
            return _normal(rng, shape, dtype, 0.0, math.sqrt(variance))
        limit = math.sqrt(3.0 * variance)
        return _uniform(rng, shape, dtype, -limit, limit)

    def get_config(self):
        return {
            "seed": self.seed,
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


def _preset(name, scale, mode, distribution):
    class Preset(VarianceScaling):
        def __init__(self, seed=None, input_axes=None, output_axes=None):
            super().__init__(scale, mode, distribution, seed, input_axes, output_axes)

        def get_config(self):
            return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}

    Preset.__name__ = Preset.__qualname__ = name
    return Preset


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal")


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(shape, self.value, dtype=standardize_dtype(dtype))

    def get_config(self):
        return {"value": self.value}


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return np.zeros(shape, dtype=standardize_dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return np.ones(shape, dtype=standardize_dtype(dtype))


_ALL = [
    Constant,
    Zeros,
    Ones,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    Orthogonal,
    GlorotUniform,
    GlorotNormal,
    HeUniform,
    HeNormal,
    LecunUniform,
    LecunNormal,
]
_TABLE = {cls.__name__: cls for cls in _ALL}
_TABLE.update(
    {
        "constant": Constant,
        "zeros": Zeros,
        "ones": Ones,
        "random_normal": RandomNormal,
        "random_uniform": RandomUniform,
        "uniform": RandomUniform,
        "normal": RandomNormal,
        "orthogonal": Orthogonal,
        "truncated_normal": TruncatedNormal,
        "variance_scaling": VarianceScaling,
        "glorot_uniform": GlorotUniform,
        "glorot_normal": GlorotNormal,
        "he_uniform": HeUniform,
        "he_normal": HeNormal,
        "lecun_uniform": LecunUniform,
        "lecun_normal": LecunNormal,
    }
)


def get(identifier):
    """An initializer from a name, a config dict, an instance or a callable."""
    if identifier is None:
        return None
    return resolve("initializer", identifier, _TABLE, instance_types=(Initializer,))


def serialize(initializer):
    return serialize_object(initializer, "keras.initializers")


register_initializer_names(get)
