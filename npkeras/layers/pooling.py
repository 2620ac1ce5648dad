"""Pooling layers: Max/AveragePooling1D/2D/3D and the global poolings."""

from npkeras import ops
from npkeras.layers.input_spec import (
    check_data_format,
    check_input_rank,
    check_padding,
    to_channels_last,
    to_data_format,
)
from npkeras.layers.layer import Layer
from npkeras.ops import pooling
from npkeras.ops.windows import normalize_tuple, output_size, padding_amounts


class BasePooling(Layer):
    """Windowed max or average over `rank` spatial axes."""

    rank = None
    pool_function = None

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        try:
            self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
            self.strides = self.pool_size if strides is None else normalize_tuple(strides, self.rank, "strides")
        except ValueError as e:
            raise ValueError(f'Layer "{self.name}": {e}') from None
        self.padding = check_padding(self, padding, ("valid", "same"))
        self.data_format = check_data_format(self, data_format)
        self.built = True  # no weights: built at construction, as in Keras

    def call(self, inputs):
        check_input_rank(self, inputs, self.rank + 2)
        self.compute_output_shape(inputs.shape)
        x = to_channels_last(inputs, self.data_format)
        return to_data_format(self.pool_function(x, self.pool_size, self.strides, self.padding), self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = []
        for n, p, s in zip(spatial, self.pool_size, self.strides, strict=True):
            size = None if n is None else output_size(n, p, s, 1, padding_amounts(n, p, s, 1, self.padding))
            if size is not None and size <= 0:
                raise ValueError(
                    f'Layer "{self.name}": computed output size would be zero or negative. Received input '
                    f"shape={input_shape}, pool_size={self.pool_size}, strides={self.strides}, "
                    f'padding="{self.padding}".'
                )
            out.append(size)
        if self.data_format == "channels_last":
            return (input_shape[0], *out, input_shape[-1])
        return (input_shape[0], input_shape[1], *out)

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }


class MaxPooling1D(BasePooling):
    rank, pool_function = 1, staticmethod(pooling.max_pool)


class MaxPooling2D(BasePooling):
    rank, pool_function = 2, staticmethod(pooling.max_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(BasePooling):
    rank, pool_function = 1, staticmethod(pooling.average_pool)


class AveragePooling2D(BasePooling):
    rank, pool_function = 2, staticmethod(pooling.average_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling3D(BasePooling):
    rank, pool_function = 3, staticmethod(pooling.max_pool)

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling3D(BasePooling):
    rank, pool_function = 3, staticmethod(pooling.average_pool)

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class BaseGlobalPooling(Layer):
    """Mean or max over every spatial axis."""

    rank = None
    reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = check_data_format(self, data_format)
        self.keepdims = keepdims
        self.built = True

    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs):
        check_input_rank(self, inputs, self.rank + 2)
        return type(self).reduce(inputs, axis=self._spatial_axes(), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        axes = self._spatial_axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over steps; with a mask (batch, steps), only over the unmasked steps."""

    rank, reduce = 1, ops.mean

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format, keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        check_input_rank(self, inputs, 3)
        steps = self._spatial_axes()[0]
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), 2 if steps == 1 else 1)
        total = ops.sum(inputs * weights, axis=steps, keepdims=self.keepdims)
        return total / ops.sum(weights, axis=steps, keepdims=self.keepdims)

    def compute_mask(self, inputs, previous_mask):
        return None  # the steps are pooled away


class GlobalAveragePooling2D(BaseGlobalPooling):
    rank, reduce = 2, ops.mean


class GlobalMaxPooling1D(BaseGlobalPooling):
    rank, reduce = 1, ops.max


class GlobalMaxPooling2D(BaseGlobalPooling):
    rank, reduce = 2, ops.max


class GlobalAveragePooling3D(BaseGlobalPooling):
    rank, reduce = 3, ops.mean


class GlobalMaxPooling3D(BaseGlobalPooling):
    rank, reduce = 3, ops.max
