"""UnitNormalization: scale each sample to unit L2 norm along `axis`."""

from npkeras.layers.layer import Layer
from npkeras.ops.unit_normalization import L2Normalize


class UnitNormalization(Layer):
    """x / ||x|| along `axis` (an int or a list of ints), the norm floored at 1e-12 as Keras's."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                f"Invalid value for `axis` argument: expected an int or a list/tuple of ints. Received: axis={axis}"
            )
        self.supports_masking = True
        self.built = True

    def _check_axes(self, shape):
        for axis in self.axis if isinstance(self.axis, list) else [self.axis]:
            if axis >= len(shape) or axis < -len(shape):
                raise ValueError(f"Axis {self.axis} is out of bounds for input shape {tuple(shape)}.")

    def call(self, inputs):
        self._check_axes(inputs.shape)
        return L2Normalize(self.axis, epsilon=1e-12)(inputs)

    def compute_output_shape(self, input_shape):
        self._check_axes(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
