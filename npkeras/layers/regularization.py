"""Dropout, SpatialDropout1D and SpatialDropout2D."""

import numpy as np

from npkeras.layers.input_spec import check_data_format, check_input_rank
from npkeras.layers.layer import Layer
from npkeras.ops import nn


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
