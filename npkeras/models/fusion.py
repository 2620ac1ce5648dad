"""Adjacent layers a model runs as one fused op, with results identical to running them apart.

Conv2D (ReLU or no activation) followed by MaxPooling2D whose windows tile its output
(valid padding, strides == pool_size) runs as one ConvMaxPool: each chunk of the convolution's
output is pooled while still in cache instead of being written out and read back. Only
stock layers fuse (a subclass may override `call`), and only when the convolution has no
activity regularizer and both compute channels_last, so nothing observes the difference.
"""

from npkeras import activations
from npkeras.layers.convolutional import BaseConv, Conv2D
from npkeras.layers.pooling import BasePooling, MaxPooling2D


def fuses_conv_max_pool(conv, pool):
    """Whether `conv` then `pool` may run as one ConvMaxPool."""
    return (
        isinstance(conv, Conv2D)
        and type(conv).call is BaseConv.call
        and conv.built
        and conv.data_format == "channels_last"
        and conv.activity_regularizer is None
        and (conv._fuse_relu or conv.activation in (activations.linear, None))
        and isinstance(pool, MaxPooling2D)
        and type(pool).call is BasePooling.call
        and pool.padding == "valid"
        and pool.pool_size == pool.strides
        and pool.data_format == "channels_last"
    )


def call_fused(conv, pool, x):
    """`pool(conv(x))` as one op, or None when the pair does not fuse for this input."""
    if not fuses_conv_max_pool(conv, pool) or getattr(x, "ndim", None) != 4:
        return None
    out = conv.compute_output_shape(x.shape)
    if out[1] < pool.pool_size[0] or out[2] < pool.pool_size[1]:
        return None  # let the pooling layer raise its own error
    return conv.call_with_max_pool(x, pool.pool_size)
