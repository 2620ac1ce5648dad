"""Dropout, SpatialDropout1D, SpatialDropout2D, GaussianNoise, GaussianDropout, AlphaDropout and
ActivityRegularization."""

import numpy as np

from npkeras import regularizers
from npkeras.layers.input_spec import check_data_format, check_input_rank
from npkeras.layers.layer import Layer
from npkeras.ops import nn, noise


class Dropout(Layer):
    """Zero a fraction `rate` of inputs during training, scaling the rest by 1 / (1 - rate)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(
                f'Layer "{self.name}": invalid value received for argument `rate`. Expected a float in [0, 1) '
                f"(a rate of 1 would drop everything). Received: rate={rate}"
            )
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self._rng = None if seed is None else np.random.default_rng(seed)
        self.supports_masking = True
        self.built = True  # stateless: built at construction, as in Keras

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        noise_shape = None
        if self.noise_shape is not None:
            noise_shape = tuple(d if n is None else n for n, d in zip(self.noise_shape, inputs.shape))
        return nn.Dropout(self.rate, noise_shape, self._rng)(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}


class _SpatialDropout(Dropout):
    """Dropout of whole feature maps: one keep/drop draw per sample and channel."""

    rank = None

    def __init__(self, rate, seed=None, name=None, dtype=None, data_format=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = check_data_format(self, data_format)

    def call(self, inputs, training=False):
        check_input_rank(self, inputs, self.rank + 2)
        if not training or self.rate == 0:
            return inputs
        ones = (1,) * self.rank
        if self.data_format == "channels_last":
            noise_shape = (inputs.shape[0], *ones, inputs.shape[-1])
        else:
            noise_shape = (inputs.shape[0], inputs.shape[1], *ones)
        return nn.Dropout(self.rate, noise_shape, self._rng)(inputs)

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}  # Keras writes a string


class SpatialDropout1D(_SpatialDropout):
    rank = 1


class SpatialDropout2D(_SpatialDropout):
    rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, data_format=data_format)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


def _seeded(seed):
    """The layer's own generator for a seed, else None: the op then draws from this thread's npkeras stream."""
    return None if seed is None else np.random.default_rng(seed)


class _Noise(Layer):
    """A stateless layer that changes its input in training only; masks pass through."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self._rng = _seeded(seed)
        self.supports_masking = True
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class GaussianNoise(_Noise):
    """Add N(0, stddev^2) noise in training; the identity in inference."""

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a float value between 0 and 1. "
                f"Received: stddev={stddev}"
            )
        self.stddev = stddev

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            return noise.GaussianNoise(self.stddev, self._rng)(inputs)
        return inputs

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(_Noise):
    """Multiply by N(1, rate / (1 - rate)) noise in training; the identity in inference."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                f"Received: rate={rate}"
            )
        self.rate = rate

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return noise.GaussianDropout(self.rate, self._rng)(inputs)
        return inputs

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class AlphaDropout(_Noise):
    """Dropout for SELU networks: dropped entries become SELU's negative saturation, then an affine map keeps
    the mean and variance of the inputs (see ops/noise.py); the identity in inference."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                f"Received: rate={rate}"
            )
        self.rate = rate
        self.noise_shape = noise_shape

    def call(self, inputs, training=False):
        if not (training and self.rate > 0):
            return inputs
        noise_shape = None
        if self.noise_shape is not None:
            noise_shape = tuple(d if n is None else n for n, d in zip(self.noise_shape, inputs.shape))
        return noise.AlphaDropout(self.rate, noise_shape, self._rng)(inputs)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}


class ActivityRegularization(Layer):
    """Returns its input; its activity regularizer adds l1 * sum|x| + l2 * sum(x^2), divided by the batch size, to
    `layer.losses`."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
