"""UpSampling1D and UpSampling2D: repeat steps, rows and columns (nearest) or interpolate them (bilinear)."""

from npkeras.layers.input_spec import check_data_format, check_input_rank
from npkeras.layers.layer import Layer
from npkeras.ops import resizing
from npkeras.ops.rearranging import repeat
from npkeras.ops.windows import normalize_tuple


def _positive_int(value, name):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"Expected an integer value for `{name}`, got {type(value)}.")
    if value <= 0:
        raise ValueError(f"Argument `{name}` should be a positive integer. Received: {name}={value}")
    return value


class UpSampling1D(Layer):
    """(batch, steps, features) to (batch, steps * size, features): each step repeated `size` times."""

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = _positive_int(size, "size")

    def call(self, inputs):
        check_input_rank(self, inputs, 3)
        return repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "size": self.size}


class UpSampling2D(Layer):
    """Scale rows by size[0] and columns by size[1]: repeated ("nearest") or linearly interpolated ("bilinear",
    TensorFlow's half-pixel-centre resize)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = check_data_format(self, data_format)
        self.size = normalize_tuple(size, 2, "size")
        if not isinstance(interpolation, str) or interpolation.lower() not in ("nearest", "bilinear"):
            raise ValueError(
                f'Layer "{self.name}": npkeras\'s UpSampling2D supports `interpolation` "nearest" or "bilinear". '
                f"Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation.lower()

    def _spatial_axes(self):
        return (1, 2) if self.data_format == "channels_last" else (2, 3)

    def call(self, inputs):
        check_input_rank(self, inputs, 4)
        x = inputs
        for axis, factor in zip(self._spatial_axes(), self.size):
            if self.interpolation == "nearest":
                x = repeat(x, factor, axis=axis)
            else:
                x = resizing.linear_resize(x, x.shape[axis] * factor, axis=axis)
        return x

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(self._spatial_axes(), self.size):
            shape[axis] = None if shape[axis] is None else shape[axis] * factor
        return tuple(shape)

    def get_config(self):
        return {
            **super().get_config(),
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }
