"""Conv1D, Conv2D and Conv3D: Keras's convolution layers on the fused im2col op."""

import numbers

from npkeras import activations, initializers, ops, regularizers
from npkeras.layers.core import KernelLayer
from npkeras.layers.input_spec import (
    check_data_format,
    check_input_axis,
    check_input_rank,
    check_padding,
    to_channels_last,
    to_data_format,
)
from npkeras.ops import convolution as conv_ops
from npkeras.ops import volumetric
from npkeras.ops.windows import normalize_tuple, output_size, padding_amounts


class BaseConv(KernelLayer):
    """Shared by Conv1D and Conv2D (`rank` spatial axes)."""

    rank = None

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(filters, numbers.Integral) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(
                f'Layer "{self.name}": invalid value for argument `filters`. Expected a strictly positive '
                f"integer. Received filters={filters!r}."
            )
        if groups != 1 or lora_rank is not None:
            raise ValueError(f'Layer "{self.name}": npkeras\'s convolutions support neither groups != 1 nor LoRA.')
        rank = self.rank
        try:
            self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
            self.strides = normalize_tuple(strides, rank, "strides")
            self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        except ValueError as e:
            raise ValueError(f'Layer "{self.name}": {e}') from None
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f'Layer "{self.name}": `strides > 1` not supported in conjunction with `dilation_rate > 1`. '
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.filters = int(filters)
        self.groups = groups
        self.padding = check_padding(self, padding, ("valid", "same", "causal") if rank == 1 else ("valid", "same"))
        self.data_format = check_data_format(self, data_format)
        self._set_kernel_options(
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
        )

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f'Layer "{self.name}" expects input of rank {self.rank + 2} (batch, '
                f"{'spatial axes, ' * (self.rank > 1) or 'steps, '}channels), but received input with shape "
                f"{tuple(input_shape)}."
            )
        channels = input_shape[self._channel_axis()]
        if channels is None:
            raise ValueError(
                f'Layer "{self.name}": the channel axis of the input must be known. Received {input_shape}'
            )
        self.compute_output_shape(input_shape)  # validates the spatial size first
        self._add_weights(channels)

    def _add_weights(self, channels):
        self._add_kernel_and_bias(self._kernel_shape(channels))

    def _kernel_shape(self, channels):
        return (*self.kernel_size, channels, self.filters)

    def _input_channels(self):
        """The channel count the kernel takes."""
        return self.kernel.shape[-2]

    def convolution_op(self, inputs, kernel):
        """This layer's convolution (strides, padding, dilation, data_format) of `inputs` with `kernel`,
        no bias or activation: what subclasses that transform the kernel (weight standardization) call."""
        x = to_channels_last(ops.convert_to_tensor(inputs), self.data_format)
        y = conv_ops.conv(x, kernel, self.strides, self.padding, dilation_rate=self.dilation_rate)
        return to_data_format(y, self.data_format)

    def call(self, inputs):
        if type(self).convolution_op is not BaseConv.convolution_op:  # a subclass's own convolution, as in Keras
            return self._call_overridden_convolution(inputs)
        x = self._conv_input(inputs)
        op = conv_ops.Conv(*self._geometry(x), relu=self._fuse_relu)
        y = op(x, self.kernel) if self.bias is None else op(x, self.kernel, self.bias)
        if not self._fuse_relu and self.activation is not None:
            y = self.activation(y)
        y = to_data_format(y, self.data_format)
        return y

    def _call_overridden_convolution(self, inputs):
        y = self.convolution_op(inputs, self.kernel)
        if self.bias is not None:
            shape = (self.filters,) if self.data_format == "channels_last" else (self.filters,) + (1,) * self.rank
            y = y + ops.reshape(self.bias, shape)
        if self.activation is not None:
            y = self.activation(y)
        return y

    def _conv_input(self, inputs):
        """The input checked against the kernel, in the kernel's dtype, channels_last."""
        check_input_rank(self, inputs, self.rank + 2)
        check_input_axis(self, inputs, self._channel_axis(), self._input_channels())
        self.compute_output_shape(inputs.shape)
        if inputs.dtype != self.kernel.dtype:
            inputs = ops.cast(inputs, self.kernel.dtype)
        return to_channels_last(inputs, self.data_format)

    def _geometry(self, x):
        return conv_ops.conv_geometry(x.shape, self.kernel_size, self.strides, self.padding, self.dilation_rate)

    def call_with_max_pool(self, inputs, pool_size):
        """This layer then a valid MaxPooling2D whose strides equal `pool_size`, as one fused op.

        Same outputs and gradients as the two layers one after the other; the model runs them
        this way (models/fusion.py) when nothing can observe the difference.
        """
        x = self._conv_input(inputs)
        op = conv_ops.ConvMaxPool(*self._geometry(x), self._fuse_relu, pool_size)
        return op(x, self.kernel) if self.bias is None else op(x, self.kernel, self.bias)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = []
        for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate, strict=True):
            if n is None:
                out.append(None)
                continue
            size = output_size(n, k, s, d, padding_amounts(n, k, s, d, self.padding))
            if size <= 0:
                raise ValueError(
                    f'Layer "{self.name}": computed output size would be zero or negative. Received input '
                    f"shape={input_shape}, kernel_size={self.kernel_size}, dilation_rate={self.dilation_rate}, "
                    f'strides={self.strides}, padding="{self.padding}": the kernel is larger than the '
                    f"{'padded ' * (self.padding != 'valid')}input."
                )
            out.append(size)
        channels = self._output_channels(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *out, channels)
        return (input_shape[0], channels, *out)

    def _output_channels(self, input_shape):
        return self.filters

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": None,
            "bias_constraint": None,
        }


class Conv1D(BaseConv):
    """1-D convolution over (batch, steps, channels); padding may also be "causal"."""

    rank = 1


class Conv2D(BaseConv):
    """2-D convolution over (batch, height, width, channels)."""

    rank = 2


class Conv3D(BaseConv):
    """3-D convolution over (batch, depth, height, width, channels)."""

    rank = 3

    def call(self, inputs):
        if type(self).convolution_op is not BaseConv.convolution_op:
            return self._call_overridden_convolution(inputs)
        x = self._conv_input(inputs)
        y = volumetric.conv3d(
            x, self.kernel, self.strides, self.padding, self.dilation_rate, self.bias, self._fuse_relu
        )
        if not self._fuse_relu and self.activation is not None:
            y = self.activation(y)
        y = to_data_format(y, self.data_format)
        return y
