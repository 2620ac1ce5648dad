"""Flatten, Reshape, RepeatVector, Permute, ZeroPadding1D and ZeroPadding2D."""

import math

from npkeras.layers.input_spec import check_data_format, check_input_rank
from npkeras.layers.layer import Layer
from npkeras.ops import shaping as shape_ops
from npkeras.ops.rearranging import repeat


class Flatten(Layer):
    """Collapse every axis but the batch axis (channels_last order)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = check_data_format(self, data_format)

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
        return shape_ops.Reshape((inputs.shape[0],) + self._per_sample_shape(inputs.shape))(inputs)

    def compute_output_shape(self, input_shape):
        if None in input_shape[1:]:
            return (input_shape[0],) + self.target_shape
        return (input_shape[0],) + self._per_sample_shape(input_shape)

    def _per_sample_shape(self, input_shape):
        try:
            return shape_ops.resolve_shape(input_shape[1:], self.target_shape)
        except ValueError:
            raise ValueError(
                f'Layer "{self.name}": cannot reshape input of shape {tuple(input_shape)} (per sample '
                f"{tuple(input_shape[1:])}) into target_shape {self.target_shape}."
            ) from None

    def get_config(self):
        return {**super().get_config(), "target_shape": tuple(self.target_shape)}


def _padding_pairs(layer, padding, rank):
    """Keras's padding forms (int, one int per axis, one pair per axis) as `rank` (before, after) pairs.

    ZeroPadding1D's one axis takes its pair directly: (1, 2) pads 1 before and 2 after.
    """
    if isinstance(padding, int):
        entries = [padding] * rank
    elif rank == 1 and isinstance(padding, (tuple, list)) and len(padding) == 2:
        entries = [tuple(padding)]
    else:
        entries = list(padding) if isinstance(padding, (tuple, list)) else []
    pairs = [(p, p) if isinstance(p, int) else tuple(p) if isinstance(p, (tuple, list)) else () for p in entries]
    if len(pairs) != rank or any(len(p) != 2 or not all(isinstance(v, int) and v >= 0 for v in p) for p in pairs):
        raise ValueError(
            f'Layer "{layer.name}": `padding` should be an int, {rank} ints, or {rank} pairs of non-negative '
            f"ints ((before, after) per spatial axis). Received: padding={padding!r}."
        )
    return tuple(pairs)


class _ZeroPadding(Layer):
    rank = None

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = _padding_pairs(self, padding, self.rank)
        self.data_format = check_data_format(self, data_format)
        self.built = True

    def _pad_width(self):
        none = ((0, 0),)
        if self.data_format == "channels_last":
            return none + self.padding + none
        return none + none + self.padding

    def call(self, inputs):
        check_input_rank(self, inputs, self.rank + 2)
        return shape_ops.Pad(self._pad_width())(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(
            None if d is None else d + before + after for d, (before, after) in zip(input_shape, self._pad_width())
        )

    def get_config(self):
        padding = self.padding[0] if self.rank == 1 else self.padding
        return {**super().get_config(), "padding": padding, "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Add zeros before and after the steps axis of (batch, steps, channels)."""

    rank = 1


class ZeroPadding2D(_ZeroPadding):
    """Add rows and columns of zeros around (batch, height, width, channels)."""

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class RepeatVector(Layer):
    """(batch, features) to (batch, n, features): each sample's vector repeated n times."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        self.n = n

    def call(self, inputs):
        check_input_rank(self, inputs, 2)
        return repeat(shape_ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}


class Permute(Layer):
    """Reorder the non-batch axes: `dims` is a permutation of 1..rank-1 (the batch axis stays first)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be "
                f"consecutive and start from 1. Received dims={dims}"
            )
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs, len(self.dims) + 1)
        return shape_ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
