"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose: Keras's transposed convolution layers."""

from npkeras.layers.convolutional import BaseConv
from npkeras.layers.input_spec import to_data_format
from npkeras.ops import transposed_convolution as transpose_ops
from npkeras.ops.windows import normalize_tuple


class BaseConvTranspose(BaseConv):
    """Shared by Conv1DTranspose and Conv2DTranspose: kernel (*kernel_size, filters, input channels)."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, **kwargs):
        if isinstance(padding, str) and padding.lower() == "causal":
            raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: padding={padding}")
        super().__init__(filters, kernel_size, strides=strides, padding=padding, **kwargs)
        self.output_padding = None
        if output_padding is not None:
            try:
                self.output_padding = normalize_tuple(output_padding, self.rank, "output_padding", allow_zero=True)
            except ValueError as e:
                raise ValueError(f'Layer "{self.name}": {e}') from None
            for i, (p, s) in enumerate(zip(self.output_padding, self.strides, strict=True)):
                if p >= s:
                    raise ValueError(
                        f'Layer "{self.name}": `output_padding` must be strictly less than `strides` for all '
                        f"dimensions. At dimension {i}, `output_padding` is {p} but `strides` is {s}. "
                        f"Received: output_padding={self.output_padding}, strides={self.strides}"
                    )

    def _add_weights(self, channels):
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    def _input_channels(self):
        return self.kernel.shape[-1]

    def call(self, inputs):
        x = self._conv_input(inputs)
        y = transpose_ops.conv_transpose(
            x, self.kernel, self.strides, self.padding, self.output_padding, dilation_rate=self.dilation_rate
        )
        if self.bias is not None:
            y = y + self.bias
        if self.activation is not None:
            y = self.activation(y)
        y = to_data_format(y, self.data_format)
        return y

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = [
            transpose_ops.transposed_output_size(
                n, k, s, d, self.padding, None if self.output_padding is None else self.output_padding[i]
            )
            for i, (n, k, s, d) in enumerate(zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        ]
        if self.data_format == "channels_last":
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def get_config(self):
        config = super().get_config()
        del config["groups"]
        config["output_padding"] = self.output_padding
        return config


class Conv1DTranspose(BaseConvTranspose):
    """Transposed 1-D convolution over (batch, steps, channels)."""

    rank = 1


class Conv2DTranspose(BaseConvTranspose):
    """Transposed 2-D convolution over (batch, height, width, channels)."""

    rank = 2


class Conv3DTranspose(BaseConvTranspose):
    """Transposed 3-D convolution over (batch, depth, height, width, channels)."""

    rank = 3
