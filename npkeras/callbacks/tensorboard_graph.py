"""The layer graph of a model as a TensorBoard GraphDef: one node per layer call, edges from the calls that feed it.

Keras-TensorFlow shows the traced train function's ops; npkeras has no traced graph, so its graph is the model's own
layer graph (what `summary()` and `plot_model` show): an InputLayer node per input, a node per layer call named after
the layer, with its class as the op, its output shapes (`_output_shapes`, -1 for an unknown size) and its config.
A nested Sequential or functional model becomes a name scope holding its own layers, which TensorBoard draws as one
box that opens. A subclassed model's call() is Python that npkeras does not trace: its layers come without edges.
"""

import json

import numpy as np


def layer_graph_def(model):
    """(GraphDef, traced): the model's layer graph; traced is False where a subclassed call() left the edges out."""
    from tensorboardX.proto.graph_pb2 import GraphDef
    from tensorboardX.proto.versions_pb2 import VersionDef

    graph = _Graph()
    traced = graph.model(model, "", None)
    return GraphDef(node=graph.nodes, versions=VersionDef(producer=22)), traced


class _Graph:
    def __init__(self):
        self.nodes, self.names = [], set()

    def add(self, name, op, inputs, shapes, config=None):
        """A NodeDef under a name no other node has; returns the names of its outputs ("name", "name:1", ...)."""
        from tensorboardX.proto.attr_value_pb2 import AttrValue
        from tensorboardX.proto.node_def_pb2 import NodeDef

        unique, n = name, 0
        while unique in self.names:
            n += 1
            unique = f"{name}_{n}"
        self.names.add(unique)
        attr = {}
        known = [s for s in shapes if _is_shape(s)]
        if known:
            attr["_output_shapes"] = AttrValue(list=AttrValue.ListValue(shape=[_shape_proto(s) for s in known]))
        if config is not None:
            attr["config"] = AttrValue(s=config.encode("utf-8"))
        self.nodes.append(NodeDef(name=unique, op=op, input=list(inputs), attr=attr))
        return [unique] + [f"{unique}:{k}" for k in range(1, max(len(shapes), 1))]

    def model(self, model, scope, inputs):
        """The nodes of `model` under `scope`, fed by the node outputs `inputs` (None: the model's own InputLayers).
        Returns whether the edges are known (False for a subclassed model)."""
        from npkeras.models.functional import Functional
        from npkeras.models.sequential import Sequential

        if isinstance(model, Sequential):
            self.sequential(model, scope, inputs)
            return True
        if isinstance(model, Functional):
            self.functional(model, scope, inputs)
            return True
        for layer in model.layers:  # a subclassed model: its layers, in a scope of their own, without edges
            self.layer(layer, f"{scope}{model.name}/", [], [])
        return False

    def sequential(self, model, scope, inputs):
        entry = model._input_layer
        shape = None if entry is None else tuple(entry.batch_shape)
        if inputs is None:
            inputs = [] if entry is None else self.add(scope + entry.name, "InputLayer", [], [shape], _config(entry))
        outputs = inputs
        for layer in model.layers:
            shape = _output_shape(layer, shape)
            outputs = self.layer(layer, scope, outputs[:1], [shape])
        return outputs

    def functional(self, model, scope, inputs):
        names = {}  # id(KerasTensor) -> the node output that holds it
        for i, tensor in enumerate(model._input_tensors):
            if inputs is None:
                layer = tensor._keras_history[0]
                names[id(tensor)] = self.add(scope + layer.name, "InputLayer", [], [tensor.shape], _config(layer))[0]
            elif i < len(inputs):
                names[id(tensor)] = inputs[i]
        for node in model._nodes:  # parents before children
            fed = [names[id(t)] for t in node.input_tensors if id(t) in names]
            outputs = self.layer(node.layer, scope, fed, [t.shape for t in node.output_tensors])
            for tensor, name in zip(node.output_tensors, outputs):
                names[id(tensor)] = name
        return [names[id(t)] for t in model._output_tensors if id(t) in names]

    def layer(self, layer, scope, inputs, shapes):
        from npkeras.models.functional import Functional
        from npkeras.models.sequential import Sequential

        if isinstance(layer, (Sequential, Functional)):
            inner = f"{scope}{layer.name}/"
            if isinstance(layer, Sequential):
                return self.sequential(layer, inner, inputs)
            return self.functional(layer, inner, inputs)
        return self.add(scope + layer.name, type(layer).__name__, inputs, shapes, _config(layer))


def _output_shape(layer, shape):
    if shape is None:
        return None
    try:
        return tuple(layer.compute_output_shape(shape))
    except Exception:  # a shape the graph cannot tell is left out of it, never an error in fit
        return None


def _is_shape(shape):
    return isinstance(shape, tuple) and all(d is None or isinstance(d, (int, np.integer)) for d in shape)


def _shape_proto(shape):
    from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto

    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1 if d is None else int(d)) for d in shape])


def _config(layer):
    """The layer's config as JSON text (TensorBoard shows it in the node's panel); None where it has none."""
    try:
        return json.dumps(layer.get_config(), default=str, sort_keys=True)
    except Exception:  # a custom layer without a config still gets its node
        return None
