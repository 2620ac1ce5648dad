"""Rescaling: inputs * scale + offset."""

import numpy as np

from npkeras import ops
from npkeras.layers.layer import Layer


class Rescaling(Layer):
    """Multiply every input value by `scale` and add `offset`, in training and inference alike (Keras's layer).

    `scale` and `offset` may be numbers or per-channel lists (broadcast over the last axis).
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.dtype
        scale = np.asarray(self.scale, dtype=dtype)
        offset = np.asarray(self.offset, dtype=dtype)
        return ops.cast(inputs, dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": _plain(self.scale), "offset": _plain(self.offset)}


def _plain(value):
    """A number or a (nested) list, as Keras serializes a scale or offset."""
    return np.asarray(value).tolist() if isinstance(value, np.ndarray) else value
