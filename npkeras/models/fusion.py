"""Fusion planning: adjacent layer calls a model runs as one fused op, with results identical to running them apart.

Conv2D (ReLU or no activation) followed by MaxPooling2D whose windows tile its output (valid
padding, strides == pool_size) runs as one ConvMaxPool: each chunk of the convolution's output is
pooled while still in cache instead of being written out and read back. Only stock layers fuse (a
subclass may override `call`), and only when the convolution has no activity regularizer and both
compute channels_last, so nothing observes the difference.

BatchNormalization followed by a plain ReLU (`Activation("relu")`, or `ReLU()` with its defaults)
runs as one batch-norm op whose output pass also takes max(y, 0): one array and one pass fewer each
way, as ResNet's blocks begin. Add of two tensors followed by such a ReLU, as they end, runs as one
AddRelu op.

Planning looks at a model's layer graph once: the layers of a Sequential, or the nodes of a
functional model, where a pair fuses only if the pooling layer is the sole consumer of the
convolution's output and that output is not a model output. The planned pair runs as one
`ConvThenMaxPool` layer, called like any layer (input conversion, training flag, masks); it checks
the pair again on every call, so a layer changed after planning runs unfused.
"""

from npkeras import activations
from npkeras.layers.activation_layers import ReLU
from npkeras.layers.convolutional import BaseConv, Conv2D
from npkeras.layers.core import Activation
from npkeras.layers.layer import Layer
from npkeras.layers.merging import Add
from npkeras.layers.normalization import BatchNormalization
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


class PlannedPair(Layer):
    """Two layers a model planned to run as one fused op, called as one layer; the model owns (and saves) both.

    The pair is checked again on every call (`run_fused` returns None when it no longer fuses), so a layer
    changed after planning runs unfused.
    """

    def __init__(self, first, second):
        super().__init__(name=f"{first.name}+{second.name}", dtype=first.dtype)
        object.__setattr__(self, "first", first)  # not tracked: they stay the model's layers, not this one's
        object.__setattr__(self, "second", second)
        self.built = True

    def call(self, inputs, training=False):
        fused = self.run_fused(inputs, training)
        if fused is not None:
            return fused
        return self.second(self.first(inputs, training=training), training=training)

    def run_fused(self, inputs, training):
        raise NotImplementedError


class ConvThenMaxPool(PlannedPair):
    """A planned Conv2D + MaxPooling2D pair."""

    def run_fused(self, inputs, training):
        return call_fused(self.first, self.second, inputs)


def is_plain_relu(layer):
    """A stock ReLU layer: Activation("relu"), or ReLU() with its defaults."""
    if type(layer) is Activation:
        return layer.activation is activations.relu
    return type(layer) is ReLU and layer.max_value is None and layer.negative_slope == 0.0 and layer.threshold == 0.0


def then_plain_relu(first, kind, relu):
    """Whether a built layer of exactly type `kind` then `relu` may run as one op with the ReLU inside it."""
    return (
        type(first) is kind
        and first.built
        and first.activity_regularizer is None
        and is_plain_relu(relu)
        and relu.activity_regularizer is None
        and first.dtype == relu.dtype
    )


def fuses_batch_norm_relu(norm, relu):
    """Whether `norm` then `relu` may run as one batch-norm op with the ReLU in its output pass."""
    return then_plain_relu(norm, BatchNormalization, relu)


class BatchNormThenRelu(PlannedPair):
    """A planned BatchNormalization + ReLU pair."""

    def run_fused(self, inputs, training):
        if not fuses_batch_norm_relu(self.first, self.second):
            return None
        return self.first.call_with_relu(inputs, training=training)


def fuses_add_relu(add, relu):
    """Whether `add` then `relu` may run as one AddRelu op (for two inputs of one shape; else apart)."""
    return then_plain_relu(add, Add, relu)


class AddThenRelu(PlannedPair):
    """A planned Add + ReLU pair."""

    def run_fused(self, inputs, training):
        return self.first.call_with_relu(inputs) if fuses_add_relu(self.first, self.second) else None


def fused_pair(first, second):
    """The one layer that runs `first` then `second`, or None when the pair does not fuse."""
    if fuses_conv_max_pool(first, second):
        return ConvThenMaxPool(first, second)
    if fuses_batch_norm_relu(first, second):
        return BatchNormThenRelu(first, second)
    if fuses_add_relu(first, second):
        return AddThenRelu(first, second)
    return None


def plan_layers(layers):
    """The steps a Sequential runs: its layers, each planned pair as one fused layer."""
    steps, i = [], 0
    while i < len(layers):
        fused = fused_pair(layers[i], layers[i + 1]) if i + 1 < len(layers) else None
        if fused is not None:
            steps.append(fused)
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
    fused_into, absorbed = {}, set()  # id(first node) -> (its one consumer's node, the fused layer); those consumers
    for node in nodes:
        if not _a_call_on_inputs(node) or len(node.output_tensors) != 1 or id(node) in absorbed:
            continue
        (out,) = node.output_tensors
        users = consumers.get(id(out), [])
        if len(users) == 1 and id(out) not in kept and _a_plain_call(users[0]):
            fused = fused_pair(node.layer, users[0].layer)
            if fused is not None:
                fused_into[id(node)] = (users[0], fused)
                absorbed.add(id(users[0]))
    steps = []
    for node in nodes:
        if id(node) in absorbed:
            continue
        second, fused = fused_into.get(id(node), (None, None))
        if fused is None:
            steps.append(Step(node.layer, node.args, node.kwargs, node.output_tensors))
        else:
            steps.append(Step(fused, node.args, node.kwargs, second.output_tensors))
    return steps


def _a_plain_call(node):
    """A call on one tensor with nothing but `training` beside it."""
    return _a_call_on_inputs(node) and len(node.input_tensors) == 1


def _a_call_on_inputs(node):
    """A call on one argument (a tensor, or a merge layer's list) with nothing but `training` beside it."""
    return len(node.args) == 1 and set(node.kwargs) <= {"training"}
