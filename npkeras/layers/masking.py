"""Masking: mark the timesteps whose features all equal `mask_value` as padding."""

import numpy as np

from npkeras import ops
from npkeras.layers.layer import Layer


class Masking(Layer):
    """Zero the masked timesteps and attach a (batch, steps) mask that later layers skip them by."""

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def _keep(self, inputs):
        return np.any(np.asarray(inputs) != self.mask_value, axis=-1)

    def call(self, inputs):
        return ops.where(self._keep(inputs)[..., None], inputs, 0)

    def compute_mask(self, inputs, previous_mask=None):
        return self._keep(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
