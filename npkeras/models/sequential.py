"""Sequential: a plain stack of layers, each feeding the next."""

from npkeras.autograd.tensor import Tensor
from npkeras.backend.global_state import layer_structure_changed, uniquify
from npkeras.layers.input_layer import InputLayer, KerasTensor
from npkeras.layers.layer import Layer, dtype_policy_config
from npkeras.layers.serialization import deserialize, serialize
from npkeras.models import fusion
from npkeras.models.functional import adjust_input_rank, inputs_by_name
from npkeras.models.model import Model


class Sequential(Model):
    _saves_layers_as_container = True  # its weights file holds "layers/<name>" groups, as Keras's does

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        object.__setattr__(self, "_input_layer", None)  # not a tracked sublayer, as in Keras
        object.__setattr__(self, "_steps", None)  # the layers as call() runs them (fusion.plan_layers), once built
        object.__setattr__(self, "_graph", None)  # (input, output) KerasTensors of the stack, made on first use
        self._output_shapes = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._build_if_shape_known()

    @property
    def input_shape(self):
        return None if self._input_layer is None else self._input_layer.batch_shape

    @property
    def output_shape(self):
        if not self._output_shapes:
            raise AttributeError(f"Model {self.name!r} has not been built yet, so it has no output shape.")
        return self._output_shapes[-1]

    @property
    def inputs(self):
        return [self._symbolic_graph("inputs")[0]]

    @property
    def outputs(self):
        return [self._symbolic_graph("outputs")[1]]

    @property
    def input(self):
        return self._symbolic_graph("input")[0]

    @property
    def output(self):
        return self._symbolic_graph("output")[1]

    def _symbolic_graph(self, what):
        """The stack called on its Input's KerasTensor, once: what `model.inputs`, `model.outputs` and each layer's
        `.output` refer to, as Keras's Sequential keeps a functional twin."""
        if self._graph is None:
            if self._input_layer is None or not self._layers:
                raise AttributeError(f"Sequential model '{self.name}' has no defined {what} yet.")
            x = inputs = self._input_layer.output
            for layer in self._layers:
                x = layer(x)
            object.__setattr__(self, "_graph", (inputs, x))
        return self._graph

    def add(self, layer, rebuild=True):
        """Append a layer (or an Input) to the stack."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("An Input can only be the first element of a Sequential model.")
            object.__setattr__(self, "_input_layer", layer)
            if layer.dtype == "string":
                self.autocast = False  # text reaches the lookup layers as it is
            return
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `npkeras.layers.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if any(existing.name == layer.name for existing in self._layers):
            raise ValueError(
                "All layers added to a Sequential model should have unique names. Name "
                f"{layer.name!r} is already the name of a layer in this model."
            )
        if not self._layers and self._input_layer is None and layer._batch_input_shape is not None:
            object.__setattr__(
                self, "_input_layer", InputLayer(batch_shape=layer._batch_input_shape, dtype=layer.dtype)
            )
        self._layers.append(layer)
        layer_structure_changed()
        object.__setattr__(self, "_graph", None)
        self.built = False
        self._output_shapes = None
        object.__setattr__(self, "_steps", None)
        if rebuild:
            self._build_if_shape_known()

    def pop(self):
        if not self._layers:
            raise TypeError("There are no layers in the model.")
        layer = self._layers.pop()
        layer_structure_changed()
        object.__setattr__(self, "_graph", None)
        self.built = False
        object.__setattr__(self, "_steps", None)
        self._build_if_shape_known()
        return layer

    def _build_if_shape_known(self):
        """Build once the input shape is known: from an Input or, as Keras, from a first layer that has one (a
        model made on an Input) when more layers follow it."""
        if self._input_layer is not None and self._layers:
            self.build(self._input_layer.batch_shape)
        elif len(self._layers) > 1 and isinstance(getattr(self._layers[0], "input_shape", None), tuple):
            self.build(self._layers[0].input_shape)

    def build(self, input_shape=None):
        """Build each layer in turn from `input_shape` (batch axis first, may be None)."""
        if input_shape is None:
            if self._input_layer is None:
                raise ValueError(
                    "You must provide an `input_shape` argument to build a Sequential model without an Input."
                )
            input_shape = self._input_layer.batch_shape
        input_shape = tuple(input_shape)  # built by a call, shapes keep its batch size, as in Keras
        if self._input_layer is None:
            object.__setattr__(self, "_input_layer", InputLayer(batch_shape=(None,) + input_shape[1:]))
        shape, shapes = input_shape, []
        for layer in self._layers:
            layer._maybe_build(shape)
            shape = tuple(layer.compute_output_shape(shape))
            shapes.append(shape)
        self._output_shapes = shapes
        self._expected = tuple(self._input_layer.batch_shape[1:])
        object.__setattr__(self, "_steps", fusion.plan_layers(self._layers))
        uniquify("functional")  # the name Keras's functional twin, made at each build, takes: later models match
        self.built = True

    def call(self, inputs, training=False):
        if not isinstance(inputs, Tensor):
            inputs = self._single_input(inputs)
        x = adjust_input_rank(inputs, self._input_layer.batch_shape)
        expected = self._expected
        if x.shape[1:] != expected and (
            len(x.shape) != len(expected) + 1 or any(e is not None and e != d for e, d in zip(expected, x.shape[1:]))
        ):
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected '
                f"shape={self._input_layer.batch_shape}, found shape={inputs.shape}"
            )
        if self._steps is None:
            object.__setattr__(self, "_steps", fusion.plan_layers(self._layers))
        x = self._input_layer.cast_input(x)
        for step in self._steps:
            x = step(x, training=training)
        return x

    def _single_input(self, inputs):
        """The one input of a call given a list of one or a dict keyed by the Input's name, as Keras takes them."""
        name = self._input_layer.name
        if isinstance(inputs, dict):
            (inputs,) = inputs_by_name(inputs, [name], self.name)
        elif isinstance(inputs, (list, tuple)) and len(inputs) == 1:
            (inputs,) = inputs
        if not isinstance(inputs, Tensor):
            raise ValueError(
                f'Sequential model "{self.name}" takes one input, of shape {self._input_layer.batch_shape}; it '
                f"received {type(inputs).__name__} of {len(inputs)} items."
            )
        return inputs

    def _is_single_io(self):
        return True

    def _build_from_batch(self, x):
        self.build((None,) + tuple(x.shape[1:]))

    def compute_output_shape(self, input_shape):
        if not self.built:
            self.build(input_shape)
        return self._output_shapes[-1] if self._output_shapes else tuple(input_shape)

    def layer_output_shapes(self):
        return list(self._output_shapes or [])

    def get_config(self):
        layers = [serialize(layer) for layer in self._layers]
        if self._input_layer is not None:
            layers.insert(0, serialize(self._input_layer))
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": dtype_policy_config(self.dtype),
            "layers": layers,
        }
        if self._input_layer is not None:
            config["build_input_shape"] = list(self._input_layer.batch_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config.get("layers", []):
            model.add(deserialize(layer_config, custom_objects), rebuild=False)
        shape = config.get("build_input_shape")
        if model._input_layer is not None or shape is not None:
            model.build(shape)
        return model
