"""ONNX converters for npkeras's layers: `convert(g, layer, inputs, output_shapes) -> outputs` (Values).

A converter is found by the layer's class; a subclass that overrides `call` is not assumed to compute
what its base does, so it has no converter unless it registers its own.
"""

import numpy as np

from npkeras import layers as L
from npkeras.export import onnx_activations
from npkeras.export.graph_builder import Value, channels_first_perm, identity_perm
from npkeras.ops.windows import padding_amounts

CONVERTERS = {}


def converts(*classes):
    def register(fn):
        for cls in classes:
            CONVERTERS[cls] = fn
        return fn

    return register


def converter_for(layer):
    """The converter registered for the nearest class of `layer` whose `call` it still runs, or None."""
    for cls in type(layer).__mro__:
        if cls in CONVERTERS:
            return CONVERTERS[cls] if type(layer).call is cls.call else None
    return None


def _activated(g, layer, value, hint):
    """`value` through the layer's activation, as a Value in the same layout."""
    name = onnx_activations.apply(g, layer.activation, value, f"{hint}_act")
    return Value(name, value.shape, value.dtype, value.perm, value.mask)


def _weight(g, layer, array, hint):
    return g.constant(np.asarray(array, dtype=layer.dtype), f"{layer.name}/{hint}")


# ---- core ---------------------------------------------------------------------------
@converts(L.Dense)
def dense(g, layer, inputs, output_shapes):
    (x,) = inputs
    name, kernel = g.keras(x), _weight(g, layer, layer.kernel, "kernel")
    if x.rank == 2:
        args = [name, kernel] + ([_weight(g, layer, layer.bias, "bias")] if layer.bias is not None else [])
        y = g.node("Gemm", args, layer.name)
    else:
        y = g.node("MatMul", [name, kernel], f"{layer.name}_matmul")
        if layer.bias is not None:
            y = g.node("Add", [y, _weight(g, layer, layer.bias, "bias")], layer.name)
    return [_activated(g, layer, Value(y, output_shapes[0], x.dtype, mask=x.mask), layer.name)]


@converts(L.Activation)
def activation(g, layer, inputs, output_shapes):
    return [_activated(g, layer, inputs[0], layer.name)]


@converts(L.Dropout, L.SpatialDropout1D, L.SpatialDropout2D)
def identity(g, layer, inputs, output_shapes):
    return [inputs[0]]


# ---- convolution and pooling ------------------------------------------------------
def _window_attributes(layer, x, kernel_size, dilations, padding):
    """kernel_shape, strides, dilations and pads (or auto_pad where a spatial size is unknown)."""
    spatial = x.shape[1:-1] if layer.data_format == "channels_last" else x.shape[2:]
    attributes = {"kernel_shape": list(kernel_size), "strides": list(layer.strides)}
    if dilations is not None:
        attributes["dilations"] = list(dilations)
    if padding == "same" and None in spatial:
        attributes["auto_pad"] = "SAME_UPPER"  # Keras's "same": the odd pixel after
        return attributes
    dilations = dilations or (1,) * len(kernel_size)
    pairs = [padding_amounts(n, k, s, d, padding) for n, k, s, d in zip(spatial, kernel_size, layer.strides,
                                                                        dilations)]  # fmt: skip
    attributes["pads"] = [p[0] for p in pairs] + [p[1] for p in pairs]
    return attributes


def _channels_first_input(g, layer, x):
    """(name, perm of the result): channels_last layers compute on the channels-first copy."""
    if layer.data_format == "channels_last":
        return g.channels_first(x), channels_first_perm(x.rank)
    return g.keras(x), identity_perm(x.rank)


@converts(L.Conv1D, L.Conv2D)
def convolution(g, layer, inputs, output_shapes):
    (x,) = inputs
    name, perm = _channels_first_input(g, layer, x)
    spatial = tuple(range(layer.rank))
    kernel = np.transpose(np.asarray(layer.kernel), (layer.rank + 1, layer.rank, *spatial))  # (out, in, *window)
    args = [name, g.constant(kernel.astype(layer.dtype), f"{layer.name}/kernel")]
    if layer.bias is not None:
        args.append(_weight(g, layer, layer.bias, "bias"))
    y = g.node("Conv", args, layer.name, **_window_attributes(layer, x, layer.kernel_size, layer.dilation_rate,
                                                                layer.padding))  # fmt: skip
    return [_activated(g, layer, Value(y, output_shapes[0], x.dtype, perm), layer.name)]


@converts(L.MaxPooling1D, L.MaxPooling2D, L.AveragePooling1D, L.AveragePooling2D)
def pooling(g, layer, inputs, output_shapes):
    (x,) = inputs
    name, perm = _channels_first_input(g, layer, x)
    op = "MaxPool" if isinstance(layer, (L.MaxPooling1D, L.MaxPooling2D)) else "AveragePool"
    y = g.node(op, [name], layer.name, **_window_attributes(layer, x, layer.pool_size, None, layer.padding))
    return [Value(y, output_shapes[0], x.dtype, perm)]


@converts(L.GlobalAveragePooling1D, L.GlobalAveragePooling2D, L.GlobalMaxPooling1D, L.GlobalMaxPooling2D)
def global_pooling(g, layer, inputs, output_shapes):
    (x,) = inputs
    axes = [x.physical_axis(a) for a in layer._spatial_axes()]
    is_max = isinstance(layer, (L.GlobalMaxPooling1D, L.GlobalMaxPooling2D))
    if x.mask is not None and not is_max:
        return [_masked_average(g, layer, x, output_shapes[0])]
    y = g.reduce("ReduceMax" if is_max else "ReduceMean", x.name, axes, layer.keepdims, layer.name)
    if layer.keepdims:
        return [Value(y, output_shapes[0], x.dtype, x.perm)]
    kept = [axis for axis in x.perm if axis not in layer._spatial_axes()]
    order = sorted(kept)
    return [Value(y, output_shapes[0], x.dtype, tuple(order.index(a) for a in kept))]


def _masked_average(g, layer, x, output_shape):
    """GlobalAveragePooling1D over the unmasked steps only, as Keras computes it."""
    name = g.keras(x)
    steps = layer._spatial_axes()[0]
    weights = g.node("Unsqueeze", [g.node("Cast", [x.mask], f"{layer.name}_w", to=g.tensor_type(x.dtype)),
                                   g.ints([2 if steps == 1 else 1], f"{layer.name}_axis")],
                     f"{layer.name}_weights")  # fmt: skip
    total = g.reduce("ReduceSum", g.node("Mul", [name, weights], f"{layer.name}_masked"), [steps], layer.keepdims,
                     f"{layer.name}_total")  # fmt: skip
    count = g.reduce("ReduceSum", weights, [steps], layer.keepdims, f"{layer.name}_count")
    return Value(g.node("Div", [total, count], layer.name), output_shape, x.dtype)


# ---- normalization ------------------------------------------------------------------
@converts(L.BatchNormalization)
def batch_normalization(g, layer, inputs, output_shapes):
    (x,) = inputs
    channels = layer.moving_mean.shape[0]
    gamma = np.asarray(layer.gamma) if layer.gamma is not None else np.ones(channels, layer.dtype)
    beta = np.asarray(layer.beta) if layer.beta is not None else np.zeros(channels, layer.dtype)
    mean, variance = np.asarray(layer.moving_mean), np.asarray(layer.moving_variance)
    axis = x.physical_axis(layer.axis)
    if axis == 1:  # ONNX's BatchNormalization: channels on axis 1, Keras's epsilon written explicitly
        args = [_weight(g, layer, v, n) for v, n in ((gamma, "gamma"), (beta, "beta"), (mean, "moving_mean"),
                                                     (variance, "moving_variance"))]  # fmt: skip
        y = g.node("BatchNormalization", [x.name, *args], layer.name, epsilon=layer.epsilon)
    else:  # another axis: the same affine map, folded
        scale = gamma / np.sqrt(variance + layer.epsilon)
        shape = [1] * x.rank
        shape[axis] = channels
        shift = (beta - mean * scale).reshape(shape)
        scaled = g.node("Mul", [x.name, _weight(g, layer, scale.reshape(shape), "scale")], f"{layer.name}_scaled")
        y = g.node("Add", [scaled, _weight(g, layer, shift, "shift")], layer.name)
    return [Value(y, output_shapes[0], x.dtype, x.perm, x.mask)]


# ---- reshaping ----------------------------------------------------------------------
@converts(L.Flatten)
def flatten(g, layer, inputs, output_shapes):
    (x,) = inputs
    if layer.data_format == "channels_first" and x.rank > 2:
        name = g.in_layout(x, (0, *range(2, x.rank), 1))
    else:
        name = g.keras(x)
    return [Value(g.node("Flatten", [name], layer.name, axis=1), output_shapes[0], x.dtype)]


@converts(L.Reshape)
def reshape(g, layer, inputs, output_shapes):
    (x,) = inputs
    shape = g.ints([0, *layer.target_shape], f"{layer.name}_shape")  # 0: the batch axis as it comes
    return [Value(g.node("Reshape", [g.keras(x), shape], layer.name), output_shapes[0], x.dtype)]


@converts(L.ZeroPadding1D, L.ZeroPadding2D)
def zero_padding(g, layer, inputs, output_shapes):
    (x,) = inputs
    widths = layer._pad_width()  # per Keras axis
    before = [widths[axis][0] for axis in x.perm]
    after = [widths[axis][1] for axis in x.perm]
    y = g.node("Pad", [x.name, g.ints(before + after, f"{layer.name}_pads")], layer.name)
    return [Value(y, output_shapes[0], x.dtype, x.perm)]


# ---- merging ------------------------------------------------------------------------
def _common_layout(g, inputs):
    """The inputs' names in one layout: the first input's where all share its rank, else Keras's."""
    perm = inputs[0].perm if len({v.rank for v in inputs}) == 1 else None
    if perm is None:
        return [g.keras(v) for v in inputs], None
    return [g.in_layout(v, perm) for v in inputs], perm


_VARIADIC = {L.Add: "Sum", L.Average: "Mean", L.Maximum: "Max", L.Minimum: "Min"}


@converts(L.Add, L.Subtract, L.Multiply, L.Average, L.Maximum, L.Minimum)
def merge(g, layer, inputs, output_shapes):
    names, perm = _common_layout(g, inputs)
    op = _VARIADIC.get(type(layer))
    if op is not None:
        y = g.node(op, names, layer.name)
    else:
        binary = "Sub" if isinstance(layer, L.Subtract) else "Mul"
        y = names[0]
        for i, other in enumerate(names[1:]):
            y = g.node(binary, [y, other], layer.name if i == len(names) - 2 else f"{layer.name}_{i}")
    masks = [v.mask for v in inputs if v.mask is not None]
    return [Value(y, output_shapes[0], inputs[0].dtype, perm, _and_masks(g, masks, layer.name))]


def _and_masks(g, masks, hint):
    mask = masks[0] if masks else None
    for other in masks[1:]:
        mask = g.node("And", [mask, other], f"{hint}_mask")
    return mask


@converts(L.Concatenate)
def concatenate(g, layer, inputs, output_shapes):
    names, perm = _common_layout(g, inputs)
    rank = inputs[0].rank
    axis = layer.axis % rank
    physical = perm.index(axis) if perm is not None else axis
    y = g.node("Concat", names, layer.name, axis=physical)
    return [Value(y, output_shapes[0], inputs[0].dtype, perm)]


# ---- embedding and masking ----------------------------------------------------------
@converts(L.Embedding)
def embedding(g, layer, inputs, output_shapes):
    (x,) = inputs
    ids = g.node("Cast", [g.keras(x)], f"{layer.name}_ids", to=g.onnx.TensorProto.INT64)
    y = g.node("Gather", [_weight(g, layer, layer.embeddings, "embeddings"), ids], layer.name, axis=0)
    mask = None
    if layer.mask_zero:
        zero = g.constant(np.zeros((), np.int64), f"{layer.name}_zero")
        mask = g.node("Not", [g.node("Equal", [ids, zero], f"{layer.name}_is_pad")], f"{layer.name}_mask")
    return [Value(y, output_shapes[0], layer.dtype, mask=mask)]


@converts(L.Masking)
def masking(g, layer, inputs, output_shapes):
    (x,) = inputs
    name = g.keras(x)
    value = g.constant(np.asarray(layer.mask_value, dtype=x.dtype), f"{layer.name}_value")
    differs = g.node("Cast", [g.node("Not", [g.node("Equal", [name, value], f"{layer.name}_eq")],
                                     f"{layer.name}_ne")], f"{layer.name}_nef", to=g.tensor_type(x.dtype))  # fmt: skip
    keep = g.reduce("ReduceMax", differs, [x.rank - 1], True, f"{layer.name}_keep")
    y = g.node("Mul", [name, keep], layer.name)
    mask = g.node(
        "Cast",
        [g.node("Squeeze", [keep, g.ints([x.rank - 1], f"{layer.name}_last")], f"{layer.name}_keep_steps")],
        f"{layer.name}_mask",
        to=g.onnx.TensorProto.BOOL,
    )
    return [Value(y, output_shapes[0], x.dtype, mask=mask)]


# ---- wrappers -----------------------------------------------------------------------
@converts(L.TimeDistributed)
def time_distributed(g, layer, inputs, output_shapes):
    """The inner layer on (batch * steps, ...), then (batch, steps, ...) again."""
    from npkeras.export.onnx_export import convert_layer

    (x,) = inputs
    if None in x.shape[2:]:
        raise ValueError(f"needs known sizes after the steps axis; received input of shape {x.shape}")
    name = g.keras(x)
    merged = g.node("Reshape", [name, g.ints([-1, *x.shape[2:]], f"{layer.name}_merged_shape")], f"{layer.name}_merged")
    inner_shape = tuple(layer.layer.compute_output_shape((None, *x.shape[2:])))
    (y,) = convert_layer(g, layer.layer, [Value(merged, (None, *x.shape[2:]), x.dtype)], [inner_shape])
    shape = g.node("Shape", [name], f"{layer.name}_shape")
    batch_and_steps = g.node("Slice", [shape, g.ints([0], f"{layer.name}_from"), g.ints([2], f"{layer.name}_to")],
                             f"{layer.name}_batch_steps")  # fmt: skip
    target = g.node("Concat", [batch_and_steps, g.ints(inner_shape[1:], f"{layer.name}_inner")], f"{layer.name}_target",
                    axis=0)  # fmt: skip
    return [Value(g.node("Reshape", [g.keras(y), target], layer.name), output_shapes[0], x.dtype, mask=x.mask)]
