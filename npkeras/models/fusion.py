"""Fusion planning: adjacent layer calls a model runs as one fused op, with results identical to running them apart.

Conv2D (ReLU or no activation) followed by MaxPooling2D whose windows tile its output (valid
padding, strides == pool_size) runs as one ConvMaxPool: each chunk of the convolution's output is
pooled while still in cache instead of being written out and read back. Only stock layers fuse (a
subclass may override `call`), and only when the convolution has no activity regularizer and both
compute channels_last, so nothing observes the difference.

Planning looks at a model's layer graph once: the layers of a Sequential, or the nodes of a
functional model, where a pair fuses only if the pooling layer is the sole consumer of the
convolution's output and that output is not a model output. The planned pair runs as one
`ConvThenMaxPool` layer, called like any layer (input conversion, training flag, masks); it checks
the pair again on every call, so a layer changed after planning runs unfused.
"""

from npkeras import activations
from npkeras.layers.convolutional import BaseConv, Conv2D
from npkeras.layers.layer import Layer
from npkeras.layers.pooling import BasePooling, MaxPooling2D


def fuses_conv_max_pool(conv, pool):
    """Whether `conv` then `pool` may run as one ConvMaxPool."""
    return (
        isinstance(conv, Conv2D)
        and type(conv).call is BaseConv.call
        and type(conv).convolution_op is BaseConv.convolution_op
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


class ConvThenMaxPool(Layer):
    """A planned Conv2D + MaxPooling2D pair, called as one layer; the model owns (and saves) the two layers."""

    def __init__(self, conv, pool):
        super().__init__(name=f"{conv.name}+{pool.name}", dtype=conv.dtype)
        object.__setattr__(self, "conv", conv)  # not tracked: they stay the model's layers, not this one's
        object.__setattr__(self, "pool", pool)
        self.built = True

    def call(self, inputs, training=False):
        fused = call_fused(self.conv, self.pool, inputs)
        if fused is not None:
            return fused
        return self.pool(self.conv(inputs, training=training), training=training)


def plan_layers(layers):
    """The steps a Sequential runs: its layers, each planned pair as one ConvThenMaxPool."""
    steps, i = [], 0
    while i < len(layers):
        if i + 1 < len(layers) and fuses_conv_max_pool(layers[i], layers[i + 1]):
            steps.append(ConvThenMaxPool(layers[i], layers[i + 1]))
            i += 2
        else:
            steps.append(layers[i])
            i += 1
    return steps


class Step:
    """One call a functional model makes: `layer(*args, **kwargs)`, its results standing for `outputs`."""

    def __init__(self, layer, args, kwargs, outputs):
        self.layer, self.args, self.kwargs, self.outputs = layer, args, kwargs, outputs


def plan_nodes(nodes, graph_outputs):
    """The steps a functional model runs for its `nodes` (in call order): one per node, a planned pair as one."""
    consumers = {}
    for node in nodes:
        for tensor in node.input_tensors:
            consumers.setdefault(id(tensor), []).append(node)
    kept = {id(t) for t in graph_outputs}
    fused_into = {}  # id(conv node) -> its pooling node
    for node in nodes:
        if not _a_plain_call(node) or len(node.output_tensors) != 1:
            continue
        (out,) = node.output_tensors
        users = consumers.get(id(out), [])
        if len(users) == 1 and id(out) not in kept and _a_plain_call(users[0]):
            if fuses_conv_max_pool(node.layer, users[0].layer):
                fused_into[id(node)] = users[0]
    pooled = {id(pool) for pool in fused_into.values()}
    steps = []
    for node in nodes:
        if id(node) in pooled:
            continue
        pool = fused_into.get(id(node))
        if pool is None:
            steps.append(Step(node.layer, node.args, node.kwargs, node.output_tensors))
        else:
            steps.append(Step(ConvThenMaxPool(node.layer, pool.layer), node.args, node.kwargs, pool.output_tensors))
    return steps


def _a_plain_call(node):
    """A call on one tensor with nothing but `training` beside it."""
    return len(node.args) == 1 and len(node.input_tensors) == 1 and set(node.kwargs) <= {"training"}
