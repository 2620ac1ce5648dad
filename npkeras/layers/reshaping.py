"""Flatten and Reshape."""

import math

from npkeras.layers.layer import Layer
from npkeras.ops import shaping as shape_ops


class Flatten(Layer):
    """Collapse every axis but the batch axis (channels_last order)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"Invalid data_format: {data_format!r}")
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        if inputs.ndim < 2:
            raise ValueError(
                f'Layer "{self.name}" expects input with a batch axis (rank >= 2), but received '
                f"input with shape {inputs.shape}."
            )
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = shape_ops.transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        batch = inputs.shape[0]
        return shape_ops.Reshape((batch, inputs.size // batch if batch else -1))(inputs)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        return (input_shape[0], None if None in rest else math.prod(rest))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshape each sample to `target_shape` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        self.built = True  # stateless: built at construction, as in Keras

    def call(self, inputs):
        try:
            shape = shape_ops.resolve_shape(inputs.shape[1:], self.target_shape)
        except ValueError:
            raise ValueError(
                f'Layer "{self.name}": cannot reshape input of shape {inputs.shape} (per sample '
                f"{inputs.shape[1:]}) into target_shape {self.target_shape}."
            ) from None
        return shape_ops.Reshape((inputs.shape[0],) + shape)(inputs)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        if None in rest:
            return (input_shape[0],) + self.target_shape
        return (input_shape[0],) + shape_ops.resolve_shape(rest, self.target_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": tuple(self.target_shape)}
