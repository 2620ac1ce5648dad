"""Cropping1D and Cropping2D: drop steps, rows or columns at the edges of each sample."""

from npkeras.layers.input_spec import check_data_format, check_input_rank
from npkeras.layers.layer import Layer
from npkeras.ops import shaping as shape_ops
from npkeras.ops.windows import normalize_tuple


def _kept(size, before, after):
    return slice(before, size - after)


class Cropping1D(Layer):
    """(batch, steps, features): drop cropping[0] steps at the start and cropping[1] at the end."""

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_tuple(cropping, 2, "cropping", allow_zero=True)

    def _check(self, shape, what):
        if shape[1] is not None and sum(self.cropping) >= shape[1]:
            raise ValueError(
                "`cropping` parameter of `Cropping1D` layer must be smaller than the input length. Received: "
                f"{what}={tuple(shape)}, cropping={self.cropping}"
            )

    def call(self, inputs):
        check_input_rank(self, inputs, 3)
        self._check(inputs.shape, "inputs.shape")
        return shape_ops.getitem(inputs, (slice(None), _kept(inputs.shape[1], *self.cropping)))

    def compute_output_shape(self, input_shape):
        self._check(input_shape, "input_shape")
        steps = None if input_shape[1] is None else input_shape[1] - sum(self.cropping)
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(Layer):
    """Drop ((top, bottom), (left, right)) rows and columns; an int or one int per axis crops symmetrically."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = check_data_format(self, data_format)
        if isinstance(cropping, int) and not isinstance(cropping, bool):
            if cropping < 0:
                raise ValueError(f"`cropping` cannot be negative. Received: cropping={cropping}.")
            self.cropping = ((cropping, cropping), (cropping, cropping))
        elif isinstance(cropping, (list, tuple)):
            if len(cropping) != 2:
                raise ValueError(f"`cropping` should have two elements. Received: cropping={cropping}.")
            self.cropping = (
                normalize_tuple(cropping[0], 2, "1st entry of cropping", allow_zero=True),
                normalize_tuple(cropping[1], 2, "2nd entry of cropping", allow_zero=True),
            )
        else:
            raise ValueError(
                "`cropping` should be either an int, a tuple of 2 ints (symmetric_height_crop, "
                "symmetric_width_crop), or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), "
                f"(left_crop, right_crop)). Received: cropping={cropping}."
            )

    def _spatial_axes(self):
        return (1, 2) if self.data_format == "channels_last" else (2, 3)

    def _check(self, shape, what):
        for axis, crop in zip(self._spatial_axes(), self.cropping):
            if shape[axis] is not None and sum(crop) >= shape[axis]:
                raise ValueError(
                    "Values in `cropping` argument should be smaller than the corresponding spatial dimension of "
                    f"the input. Received: {what}={tuple(shape)}, cropping={self.cropping}"
                )

    def call(self, inputs):
        check_input_rank(self, inputs, 4)
        self._check(inputs.shape, "inputs.shape")
        key = [slice(None)] * 4
        for axis, crop in zip(self._spatial_axes(), self.cropping):
            key[axis] = _kept(inputs.shape[axis], *crop)
        return shape_ops.getitem(inputs, tuple(key))

    def compute_output_shape(self, input_shape):
        self._check(input_shape, "input_shape")
        shape = list(input_shape)
        for axis, crop in zip(self._spatial_axes(), self.cropping):
            shape[axis] = None if shape[axis] is None else shape[axis] - sum(crop)
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
