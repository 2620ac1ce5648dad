"""DepthwiseConv1D and DepthwiseConv2D: one set of `depth_multiplier` filters per input channel."""

import numbers

from npkeras import initializers, regularizers
from npkeras.layers.convolutional import BaseConv
from npkeras.layers.input_spec import to_data_format
from npkeras.ops import depthwise_convolution as depthwise_ops


class BaseDepthwiseConv(BaseConv):
    """Shared by the depthwise layers: kernel (*kernel_size, channels, depth_multiplier),
    bias (channels * depth_multiplier,), output channel c * depth_multiplier + m."""

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        _filters=None,  # a separable convolution's pointwise filters
        **kwargs,
    ):
        if (
            not isinstance(depth_multiplier, numbers.Integral)
            or isinstance(depth_multiplier, bool)
            or depth_multiplier <= 0
        ):
            raise ValueError(
                "Invalid value for argument `depth_multiplier`. Expected a strictly positive value. "
                f"Received depth_multiplier={depth_multiplier!r}."
            )
        if isinstance(padding, str) and padding.lower() == "causal":
            raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: padding={padding}")
        super().__init__(
            depth_multiplier if _filters is None else _filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = self.kernel_initializer
        self.depthwise_regularizer = self.kernel_regularizer
        self.depthwise_constraint = self.kernel_constraint

    def _output_channels(self, input_shape):
        channels = input_shape[self._channel_axis()]
        return None if channels is None else channels * self.depth_multiplier

    def _add_weights(self, channels):
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(channels * self.depth_multiplier,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    def _finish(self, y):
        """Bias, activation, layout and activity regularizer after the convolution."""
        if self.bias is not None:
            y = y + self.bias
        if self.activation is not None:
            y = self.activation(y)
        y = to_data_format(y, self.data_format)
        return y

    def call(self, inputs):
        x = self._conv_input(inputs)
        y = depthwise_ops.depthwise_conv(x, self.kernel, self.strides, self.padding, None, self.dilation_rate)
        return self._finish(y)

    def get_config(self):
        config = super().get_config()
        for key in ("filters", "groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            del config[key]
        config.update(
            depth_multiplier=self.depth_multiplier,
            depthwise_initializer=initializers.serialize(self.depthwise_initializer),
            depthwise_regularizer=regularizers.serialize(self.depthwise_regularizer),
            depthwise_constraint=None,
        )
        return config


class DepthwiseConv1D(BaseDepthwiseConv):
    """Depthwise 1-D convolution over (batch, steps, channels)."""

    rank = 1


class DepthwiseConv2D(BaseDepthwiseConv):
    """Depthwise 2-D convolution over (batch, height, width, channels)."""

    rank = 2
