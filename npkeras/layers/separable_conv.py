"""SeparableConv1D and SeparableConv2D: a depthwise convolution, then a 1x1 convolution to `filters`."""

from npkeras import initializers, regularizers
from npkeras.layers.depthwise_conv import BaseDepthwiseConv
from npkeras.ops import depthwise_convolution as depthwise_ops


class BaseSeparableConv(BaseDepthwiseConv):
    """Weights in Keras's order: depthwise_kernel (*k, channels, depth_multiplier), pointwise_kernel
    (1, .., channels * depth_multiplier, filters), bias (filters,)."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            kernel_size,
            strides=strides,
            padding=padding,
            depth_multiplier=depth_multiplier,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            _filters=filters,
            **kwargs,
        )
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = pointwise_constraint

    def _output_channels(self, input_shape):
        return self.filters

    def _add_weights(self, channels):
        self.depthwise_kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="depthwise_kernel",
        )
        self.pointwise_kernel = self.add_weight(
            shape=(*(1,) * self.rank, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            name="pointwise_kernel",
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

    @property
    def kernel(self):
        """The depthwise kernel: what the shared input checks read the channel count and dtype from."""
        return self.depthwise_kernel

    def call(self, inputs):
        x = self._conv_input(inputs)
        y = depthwise_ops.separable_conv(
            x, self.depthwise_kernel, self.pointwise_kernel, self.strides, self.padding, None, self.dilation_rate
        )
        return self._finish(y)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "pointwise_constraint": None,
        }


class SeparableConv1D(BaseSeparableConv):
    """Separable 1-D convolution over (batch, steps, channels)."""

    rank = 1


class SeparableConv2D(BaseSeparableConv):
    """Separable 2-D convolution over (batch, height, width, channels)."""

    rank = 2
