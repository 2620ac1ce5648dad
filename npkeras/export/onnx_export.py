"""`export_onnx(model, filepath)`: a Sequential or functional npkeras model as an ONNX file, layer by layer."""

import os

import numpy as np

from npkeras.export import onnx_recurrent  # noqa: F401 (registers the recurrent converters)
from npkeras.export.graph_builder import GraphBuilder, Value
from npkeras.export.onnx_layers import converter_for
from npkeras.layers.input_layer import InputLayer
from npkeras.saving.atomic import atomic_write

DEFAULT_OPSET = 17
MIN_OPSET = 14  # the recurrent ops' and Reshape's forms used here


def export_onnx(model, filepath, opset=None, input_signature=None):
    """Write `model` to `filepath` as ONNX (batch axis dynamic), checked by onnx.checker; nothing is written
    when a layer has no ONNX form."""
    from npkeras.export.onnx_module import onnx

    opset = DEFAULT_OPSET if opset is None else int(opset)
    if not MIN_OPSET <= opset <= onnx.defs.onnx_opset_version():
        raise ValueError(
            f"opset must be between {MIN_OPSET} and {onnx.defs.onnx_opset_version()} (this onnx's newest). "
            f"Received: opset={opset}"
        )
    proto = build_onnx_model(model, opset, input_signature)
    onnx.checker.check_model(proto, full_check=True)
    with atomic_write(filepath) as f:
        f.write(proto.SerializeToString())
    return os.fspath(filepath)


def build_onnx_model(model, opset=DEFAULT_OPSET, input_signature=None):
    """The ModelProto of `model`."""
    g = GraphBuilder(opset)
    helper = g.onnx.helper
    specs = _input_specs(model, input_signature)
    inputs = [Value(g.fresh(name), shape, dtype) for name, shape, dtype in specs]
    output_names = [g.fresh(name) for name in _output_names(model)]  # reserved: the graph's outputs keep them
    outputs = convert_model(g, model, inputs)
    graph_outputs = []
    for name, value in zip(output_names, outputs, strict=True):
        g.node("Identity", [g.keras(value)], name, output_name=name)
        graph_outputs.append(_value_info(g, name, value.shape, value.dtype, "output"))
    graph = helper.make_graph(
        g.nodes,
        model.name,
        [_value_info(g, v.name, v.shape, v.dtype, v.name) for v in inputs],
        graph_outputs,
        initializer=g.initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="npkeras")


def convert_model(g, model, inputs):
    """The output Values of `model` (Sequential or functional) called on the Values `inputs`."""
    from npkeras.models.functional import Functional
    from npkeras.models.sequential import Sequential

    if isinstance(model, Sequential):
        x = inputs[0]
        for layer in model.layers:
            shape = tuple(layer.compute_output_shape(x.shape))
            (x,) = convert_layer(g, layer, [x], [shape])
        return [x]
    if isinstance(model, Functional):
        values = {id(t): v for t, v in zip(model._input_tensors, inputs, strict=True)}
        for node in model._nodes:
            args = [values[id(t)] for t in node.input_tensors]
            outputs = convert_layer(g, node.layer, args, [t.shape for t in node.output_tensors])
            for tensor, value in zip(node.output_tensors, outputs, strict=True):
                values[id(tensor)] = value
        return [values[id(t)] for t in model._output_tensors]
    raise ValueError(
        f'Model "{model.name}" ({type(model).__name__}) defines its own call(), which cannot be exported '
        "layer by layer: export a Sequential or functional model."
    )


def convert_layer(g, layer, inputs, output_shapes):
    from npkeras.models.model import Model

    if isinstance(layer, InputLayer):
        return inputs
    if isinstance(layer, Model):
        return convert_model(g, layer, inputs)
    convert = converter_for(layer)
    if convert is None:
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}) has no ONNX form: npkeras exports its own layers '
            "(a Lambda or a custom layer's call() cannot be translated). Nothing was written."
        )
    try:
        return convert(g, layer, inputs, output_shapes)
    except ValueError as error:
        raise ValueError(f'Layer "{layer.name}" ({type(layer).__name__}) {error}. Nothing was written.') from None


def _input_specs(model, input_signature):
    """[(name, batch shape, dtype)] of the model's inputs (input_signature's shapes where given)."""
    from npkeras.models.sequential import Sequential

    if isinstance(model, Sequential):
        if not model.built and input_signature is None:
            raise ValueError(
                f'Model "{model.name}" is not built: give it an Input, call it once, or pass input_signature.'
            )
        if input_signature is not None and not model.built:
            model.build(_shape_of(input_signature[0]))
        layer = model._input_layer
        specs = [(layer.name, layer.batch_shape, layer.dtype)]
    elif hasattr(model, "_input_tensors"):
        specs = [(t.name, t.shape, t.dtype) for t in model._input_tensors]
    else:
        specs = []
    if input_signature is not None:
        if len(input_signature) != len(specs):
            raise ValueError(f'Model "{model.name}" has {len(specs)} input(s); input_signature gives '
                             f"{len(input_signature)}.")  # fmt: skip
        specs = [(name, _shape_of(spec), getattr(spec, "dtype", None) or dtype)
                 for (name, _, dtype), spec in zip(specs, input_signature)]  # fmt: skip
    return [(name, (None, *tuple(shape)[1:]), str(np.dtype(dtype))) for name, shape, dtype in specs]


def _shape_of(spec):
    return tuple(getattr(spec, "shape", spec))


def _output_names(model):
    """Keras's output names: the layers that make the outputs."""
    tensors = getattr(model, "_output_tensors", None)
    if tensors is not None:
        return [t._keras_history[0].name for t in tensors]
    return [model.layers[-1].name if model.layers else "output"]


def _value_info(g, name, shape, dtype, prefix):
    dims = ["batch" if i == 0 else f"{prefix}_dim{i}" if d is None else int(d) for i, d in enumerate(shape)]
    return g.onnx.helper.make_tensor_value_info(name, g.tensor_type(dtype), dims)
