"""Functional: a model defined by a graph of layer calls, from `npkeras.Input`s to outputs."""

from npkeras.backend.global_state import layer_structure_changed
from npkeras.layers.input_layer import InputLayer
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.layer import dtype_policy_config, to_input_tensor
from npkeras.layers.serialization import deserialize, serialize
from npkeras.layers.symbolic import flatten, map_structure
from npkeras.layers.symbolic_operation import SymbolicOperation
from npkeras.models import fusion
from npkeras.models.model import Model
from npkeras.ops.shaping import expand_dims, squeeze


def _check_tensors(structure, role):
    for t in flatten(structure):
        if not isinstance(t, KerasTensor) or t._keras_history is None:
            raise ValueError(
                f"All `{role}` of a functional model must be symbolic tensors made by npkeras.Input and layer calls. "
                f"Received: {t!r} (of type {type(t).__name__})"
            )


def _check_unique_names(layers):
    """Weights are saved and found by layer, so two layers of one name would share a place: refused, as Keras does."""
    counts = {}
    for layer in layers:
        counts[layer.name] = counts.get(layer.name, 0) + 1
    for name, count in counts.items():
        if count > 1:
            raise ValueError(
                f'The name "{name}" is used {count} times in the model. All operation names should be unique.'
            )


def adjust_input_rank(value, shape):
    """An input one axis short of its Input's `shape` that ends in 1, or with one extra last axis of 1, fitted to
    the Input as Keras does: a batch of shape (32, 28, 28) feeds Input((28, 28, 1)), (32, 3, 1) feeds Input((3,))."""
    if len(value.shape) == len(shape) + 1 and value.shape[-1] == 1:
        return squeeze(value, axis=-1)
    if len(value.shape) == len(shape) - 1 and shape[-1] == 1:
        return expand_dims(value, axis=-1)
    return value


def inputs_by_name(inputs, names, model_name):
    """The values of a dict of inputs, in the order of the model's Input `names`."""
    missing = [name for name in names if name not in inputs]
    if missing:
        raise ValueError(
            f'Model "{model_name}" expects inputs {names}; missing {missing} (the dict it received has the keys '
            f"{list(inputs)})."
        )
    return [inputs[name] for name in names]


def _node_of(tensor):
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def graph_nodes(inputs, outputs):
    """(nodes, first_seen): the nodes from `inputs` to `outputs` found depth first from the outputs, parents before
    children, the inputs' own nodes included; and each layer's position in that walk's pre-order (Keras's
    tie-break when it orders layers)."""
    input_ids = {id(t) for t in inputs}
    ordered, state, first_seen = [], {}, {}  # state: node id -> "visiting" | "done"

    def visit(tensor, path):
        node = _node_of(tensor)
        if id(tensor) not in input_ids and isinstance(node.layer, InputLayer):
            names = [t.name for t in inputs]
            raise ValueError(
                f"Graph disconnected: cannot find parent for tensor {tensor!r} at layer "
                f'"{node.layer.name}", which is not one of the model\'s inputs {names}. '
                f"It is needed by {' <- '.join(path) or 'the outputs'}."
            )
        if state.get(id(node)) == "done":
            return
        if state.get(id(node)) == "visiting":
            raise ValueError(f'The tensor {tensor!r} at layer "{node.layer.name}" is part of a cycle.')
        first_seen.setdefault(id(node.layer), len(first_seen))
        state[id(node)] = "visiting"
        if id(tensor) not in input_ids:
            for parent in node.input_tensors:
                visit(parent, [node.layer.name, *path])
        state[id(node)] = "done"
        ordered.append(node)

    for tensor in outputs:
        visit(tensor, [])
    return ordered, first_seen


def keras_layer_order(nodes, first_seen, inputs):
    """The layers as Keras lists them: by decreasing depth (the longest path to an output), ties in walk order."""
    node_depth, layer_depth, layers = {}, {}, {}
    for node in reversed(nodes):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        layers[id(node.layer)] = node.layer
        for parent in node.parent_nodes:
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in inputs:  # inputs no output depends on come first
        layer = _node_of(tensor).layer
        if id(layer) not in layer_depth:
            layer_depth[id(layer)], first_seen[id(layer)], layers[id(layer)] = 0, -1, layer
    return sorted(layers.values(), key=lambda layer: (-layer_depth[id(layer)], first_seen[id(layer)]))


_FUNCTIONAL_SUBCLASSES = {}  # a Model subclass -> the class its functional instances have


def functional_subclass(cls):
    """`cls` over Functional: what `cls(inputs, outputs)` makes, with `cls`'s own methods first."""
    made = _FUNCTIONAL_SUBCLASSES.get(cls)
    if made is None:
        namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__, "_serialized_as": cls}
        made = _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, Functional), namespace)
    return made


class Functional(Model):
    """`npkeras.Model(inputs, outputs)`: inputs and outputs may be a tensor, a list or a dict of them."""

    _saves_layers_as_container = True  # weights under "layers/<class>[_N]", Input layers included, as in Keras

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        _check_tensors(inputs, "inputs")
        _check_tensors(outputs, "outputs")
        for t in flatten(inputs):
            if not isinstance(_node_of(t).layer, InputLayer):
                raise ValueError(f"Functional model inputs must come from `npkeras.Input`; {t!r} is a layer's output.")
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._input_tensors, self._output_tensors = flatten(inputs), flatten(outputs)
        if any(t.dtype == "string" for t in self._input_tensors):
            self.autocast = False  # text reaches the string Inputs as it is (numbers still cast by their Input)
        nodes, first_seen = graph_nodes(self._input_tensors, self._output_tensors)
        self._nodes = [n for n in nodes if not isinstance(n.layer, InputLayer)]
        operations = keras_layer_order(nodes, first_seen, self._input_tensors)
        for layer in operations:
            if layer is self:
                raise ValueError("A functional model cannot contain itself")
        _check_unique_names(operations)
        object.__setattr__(self, "_operations", operations)  # the layers and the keras.ops calls, as Keras lists
        object.__setattr__(self, "_layers", [op for op in operations if not isinstance(op, SymbolicOperation)])
        layer_structure_changed()
        object.__setattr__(self, "_steps", None)  # the calls call() makes (fusion.plan_nodes), planned on first use
        self._build_shapes = None
        self.built = True

    # ---- the graph ------------------------------------------------------------------
    @property
    def inputs(self):
        return list(self._input_tensors)

    @property
    def outputs(self):
        return list(self._output_tensors)

    @property
    def operations(self):
        """The layers and the keras.ops operations of the graph, in Keras's order (`layers` omits the operations)."""
        return list(self._operations)

    @property
    def input(self):
        """The inputs as given to the constructor (a tensor, a list or a dict), as Keras's `model.input`."""
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        shapes = [t.shape for t in self._input_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self._output_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    def layer_output_shapes(self):
        """The output shape of each layer in model.layers (its first call in this graph), for summary()."""
        shapes = {}
        for t in self._input_tensors:
            shapes[id(_node_of(t).layer)] = t.shape
        for node in self._nodes:
            out = [t.shape for t in node.output_tensors]
            shapes.setdefault(id(node.layer), out[0] if len(out) == 1 else out)
        return [shapes[id(layer)] for layer in self._operations]

    def is_sequential_like(self):
        """A plain chain, as Keras's summary() finds one (one node per depth): one input, each call on one tensor,
        no layer called twice, no call's outputs feeding two calls; it may have several outputs. summary() then
        omits "Connected to"."""
        called = [id(node.layer) for node in self._nodes]
        fed_from = [id(_node_of(t)) for node in self._nodes for t in node.input_tensors]
        return (
            len(self._input_tensors) == 1
            and all(len(node.input_tensors) <= 1 for node in self._nodes)
            and len(called) == len(set(called))
            and len(fed_from) == len(set(fed_from))
        )

    def connections(self):
        """For each layer in model.layers, the tensors it was called on here, as `"layer[node][tensor]"` names."""
        found = {}
        for node in self._nodes:
            names = []
            for t in node.input_tensors:
                layer, node_index, tensor_index = t._keras_history
                names.append(f"{layer.name}[{node_index}][{tensor_index}]")
            found.setdefault(id(node.layer), []).extend(names)
        return [", ".join(found.get(id(layer), [])) or "-" for layer in self._operations]

    # ---- running --------------------------------------------------------------------
    def _flat_inputs(self, inputs):
        if isinstance(inputs, dict):  # by the dict's keys, or else by the Inputs' names
            named = isinstance(self._inputs_struct, dict)
            names = sorted(self._inputs_struct) if named else [t.name for t in self._input_tensors]
            return inputs_by_name(inputs, names, self.name)
        flat = flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(flat) != len(self._input_tensors):
            raise ValueError(
                f'Model "{self.name}" expects {len(self._input_tensors)} input(s), but it received '
                f"{len(flat)} input tensors."
            )
        return flat

    def call(self, inputs, training=False, mask=None):
        values = {}
        for index, (tensor, given) in enumerate(zip(self._input_tensors, self._flat_inputs(inputs))):
            text = tensor.dtype == "string"  # a string Input takes text, for the lookup layers to map
            given = _node_of(tensor).layer.cast_input(to_input_tensor(given, self.name, autocast=not text))
            value = adjust_input_rank(given, tensor.shape)
            expected = tensor.shape[1:]
            if len(value.shape) != len(tensor.shape) or any(
                e is not None and e != d for e, d in zip(expected, value.shape[1:])
            ):
                raise ValueError(
                    f"Input {index} with name '{tensor.name}' of layer '{self.name}' is incompatible with the layer: "
                    f"expected shape={tensor.shape}, found shape={tuple(given.shape)}"
                )
            values[id(tensor)] = value
        if self._steps is None:
            object.__setattr__(self, "_steps", fusion.plan_nodes(self._nodes, self._output_tensors))
        for step in self._steps:
            args = map_structure(lambda v: values[id(v)] if isinstance(v, KerasTensor) else v, step.args)
            kwargs = {k: map_structure(lambda v: values[id(v)] if isinstance(v, KerasTensor) else v, v)
                      for k, v in step.kwargs.items()}  # fmt: skip
            kwargs.setdefault("training", training)
            outputs = step.layer(*args, **kwargs)
            for tensor, value in zip(step.outputs, flatten(outputs)):
                values[id(tensor)] = value
        return map_structure(lambda t: values[id(t)], self._outputs_struct)

    def build(self, input_shape=None):
        self.built = True

    def compute_output_shape(self, input_shape):
        return self.output_shape

    # ---- config ---------------------------------------------------------------------
    def get_config(self):
        layer_configs = []
        for layer in self._operations:
            entry = serialize(layer)
            entry["name"] = layer.name
            entry["inbound_nodes"] = [
                {"args": self._history_of(node.args), "kwargs": self._history_of(node.kwargs)}
                for node in self._nodes_of(layer)
                if not isinstance(layer, InputLayer)
            ]
            layer_configs.append(entry)
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": dtype_policy_config(self.dtype),
            "layers": layer_configs,
            "input_layers": self._history_of(self._inputs_struct, plain=True),
            "output_layers": self._history_of(self._outputs_struct, plain=True),
        }

    def _nodes_of(self, layer):
        """The layer's calls that belong to this model's graph (its own creation node, for an InputLayer)."""
        if isinstance(layer, InputLayer):
            return layer._inbound_nodes[:1]
        in_graph = {id(n) for n in self._nodes}
        return [n for n in layer._inbound_nodes if id(n) in in_graph]

    def _history_of(self, structure, plain=False):
        """KerasTensors as Keras writes them in a config: {"class_name": "__keras_tensor__", ...} or [name, node, i];
        node indices count only the calls inside this model, as Keras numbers them."""

        def encode(value):
            if not isinstance(value, KerasTensor):
                return _encode_constant(value)
            layer, node_index, tensor_index = value._keras_history
            node = layer._inbound_nodes[node_index]
            local = next(i for i, n in enumerate(self._nodes_of(layer)) if n is node)
            history = [layer.name, local, tensor_index]
            if plain:
                return history
            config = {"shape": list(value.shape), "dtype": value.dtype, "keras_history": history}
            return {"class_name": "__keras_tensor__", "config": config}

        return map_structure(encode, structure)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return rebuild_functional(cls, config, custom_objects)


def rebuild_functional(cls, config, custom_objects=None):
    """Recreate the layers, then replay their calls in an order where each call's inputs already exist."""
    layers, created = {}, {}  # layer name -> layer; (layer name, node index) -> outputs
    pending = []
    for entry in config["layers"]:
        layer = deserialize({k: v for k, v in entry.items() if k not in ("inbound_nodes", "name")}, custom_objects)
        layers[entry["name"]] = layer
        if isinstance(layer, InputLayer):
            created[(entry["name"], 0)] = layer.output
        for node_index, node in enumerate(entry.get("inbound_nodes", [])):
            pending.append((entry["name"], node_index, node))

    def decode(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            name, node_index, tensor_index = value["config"]["keras_history"]
            return flatten(created[(name, node_index)])[tensor_index]
        if isinstance(value, dict) and value.get("class_name") == "__slice__":
            return slice(*(decode(value["config"][k]) for k in ("start", "stop", "step")))
        if isinstance(value, dict) and value.get("class_name") == "__ellipsis__":
            return Ellipsis
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [decode(v) for v in value]
        return value

    def ready(value):
        return all(
            (v["config"]["keras_history"][0], v["config"]["keras_history"][1]) in created
            for v in _tensor_entries(value)
        )

    while pending:
        progressed = False
        for item in list(pending):
            name, node_index, node = item
            if ready(node):
                args = [decode(a) for a in node.get("args", [])]
                kwargs = {k: decode(v) for k, v in node.get("kwargs", {}).items()}
                created[(name, node_index)] = layers[name](*args, **kwargs)
                pending.remove(item)
                progressed = True
        if not progressed:
            names = sorted({name for name, _, _ in pending})
            raise ValueError(f"The model config's layers {names} are called on tensors no layer produces")

    def endpoint(history):
        name, node_index, tensor_index = history
        return flatten(created[(name, node_index)])[tensor_index]

    inputs = _decode_endpoints(config["input_layers"], endpoint)
    outputs = _decode_endpoints(config["output_layers"], endpoint)
    return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))


def _encode_constant(value):
    """A slice or Ellipsis in a node's arguments (an index), as Keras serializes it."""
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {"start": value.start, "stop": value.stop, "step": value.step}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    return value


def _tensor_entries(value):
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            return [value]
        return [e for v in value.values() for e in _tensor_entries(v)]
    if isinstance(value, (list, tuple)):
        return [e for v in value for e in _tensor_entries(v)]
    return []


def _decode_endpoints(structure, endpoint):
    """[name, node, index] triples (alone, in a list, or in a dict) to the tensors they name."""
    if isinstance(structure, dict):
        return {k: _decode_endpoints(v, endpoint) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)) and len(structure) == 3 and isinstance(structure[0], str):
        return endpoint(structure)
    return [_decode_endpoints(item, endpoint) for item in structure]
