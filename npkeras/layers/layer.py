"""Layer: the base of every layer and model (weights, build on first call, config)."""

import functools
import inspect
import threading
import warnings

import numpy as np

from npkeras import initializers, regularizers
from npkeras.autograd import mode
from npkeras.autograd.tensor import Tensor
from npkeras.autograd.variable import Variable
from npkeras.backend.arrays import numeric_array
from npkeras.backend.config import floatx, standardize_dtype
from npkeras.backend.global_state import context, layer_structure_changed, layer_structure_version
from npkeras.layers import symbolic, weight_budget
from npkeras.layers.masks import attach_masks, get_mask
from npkeras.utils.naming import to_snake_case, uniquify


def dtype_policy_config(dtype):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": dtype}, "registered_name": None}


def _dtype_name(dtype):
    if isinstance(dtype, dict):  # a serialized DTypePolicy
        return dtype.get("config", {}).get("name", floatx())
    return standardize_dtype(dtype)


def to_input_tensor(x, layer_name, autocast=True, dtype=None):
    """Arrays and lists to a Tensor; reject non-numeric data.

    With `dtype` (a float layer's compute dtype) every number becomes that dtype, so uint8 pixels never wrap;
    without it float64 becomes floatx and integers stay integers. Without `autocast` the data is wrapped as it
    is, for the layer to check (Embedding's ids)."""
    if isinstance(x, Tensor):
        return x
    if not autocast:
        return Tensor(np.asarray(x))
    return Tensor(numeric_array(x, f'The input of layer "{layer_name}"', dtype=dtype))


def to_input_tensors(inputs, layer_name, autocast=True, dtype=None):
    """A layer's inputs as Tensors: lists, tuples and dicts of arrays keep their structure (None stays
    None), while a list of plain numbers is one array."""
    if isinstance(inputs, (list, tuple)) and _only_numbers(inputs):
        return to_input_tensor(inputs, layer_name, autocast, dtype)
    return symbolic.map_structure(
        lambda v: None if v is None else to_input_tensor(v, layer_name, autocast, dtype), inputs
    )


def _only_numbers(items):
    return all(
        _only_numbers(v) if isinstance(v, (list, tuple)) else isinstance(v, (bool, int, float, complex, np.number))
        for v in items
    )


def _array_to_tensor(value, layer):
    """An array among a call's extra arguments, as a Tensor; anything else as given."""
    if isinstance(value, (np.ndarray, np.generic)):
        return to_input_tensor(value, layer.name, layer.autocast, layer._array_input_dtype())
    return value


class LayerMemoryError(MemoryError):
    """A layer's call ran out of memory; the message names the layer and the batch, and says what to try."""

    @classmethod
    def of(cls, layer, inputs, error):
        shapes = [tuple(t.shape) for t in symbolic.flatten(inputs) if hasattr(t, "shape")]
        batch = f"a batch of size {shapes[0][0]}" if shapes and shapes[0] else "its input"
        return cls(
            f'Layer "{layer.name}" ({type(layer).__name__}) ran out of memory on {batch} (input shapes {shapes}): '
            f"{error or type(error).__name__}. Try a smaller batch_size."
        )


def is_shape(value):
    """A single shape (ints and None), as opposed to a list or dict of shapes."""
    return isinstance(value, (list, tuple)) and all(d is None or isinstance(d, (int, np.integer)) for d in value)


def shape_structure(inputs):
    """The shapes of a call's inputs with the inputs' structure (lists of shapes for lists and tuples)."""
    if isinstance(inputs, (list, tuple)):
        return [shape_structure(v) for v in inputs]
    if isinstance(inputs, dict):
        return {k: shape_structure(v) for k, v in inputs.items()}
    return None if inputs is None else tuple(inputs.shape)


class Layer:
    def __init_subclass__(cls, **kwargs):
        """A subclass's own `build` marks the layer built and records its input shape."""
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _recording_build(cls.__dict__["build"])

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        name=None,
        dtype=None,
        autocast=True,
        input_shape=None,
        input_dim=None,
        batch_input_shape=None,
        batch_size=None,
        **kwargs,
    ):
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        object.__setattr__(self, "_weights", [])
        object.__setattr__(self, "_layers", [])
        object.__setattr__(self, "_sublayers_cache", None)  # (structure version, all, trainable_only)
        object.__setattr__(self, "_created_trainable", [])  # what layer.trainable switches
        object.__setattr__(self, "_inbound_nodes", [])  # its calls on symbolic inputs (functional models)
        object.__setattr__(self, "_metrics", [])  # metrics set as its attributes (custom trackers), as Keras tracks
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.trainable = trainable
        self.dtype = _dtype_name(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self.supports_masking = False
        self._build_shapes = None
        object.__setattr__(self, "_losses_by_thread", threading.local())
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if input_shape is not None:
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential models, "
                "prefer using an `Input(shape)` object as the first layer in the model instead.",
                stacklevel=2,
            )
        if batch_input_shape is not None:
            self._batch_input_shape = tuple(batch_input_shape)
        elif input_shape is not None:
            self._batch_input_shape = (batch_size,) + tuple(input_shape)
        else:
            self._batch_input_shape = None
        self._computes_masks = type(self).compute_mask is not Layer.compute_mask
        params = inspect.signature(self.call).parameters
        self._call_takes_training = "training" in params
        self._call_takes_mask = "mask" in params

    # ---- tracking -------------------------------------------------------------------
    def __setattr__(self, name, value):
        tracked = getattr(self, "_layers", None)
        if tracked is not None:
            if isinstance(value, Layer) and value is not self:
                if not any(value is t for t in tracked):
                    tracked.append(value)
                    layer_structure_changed()
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Layer) and not any(item is t for t in tracked):
                        tracked.append(item)
                        layer_structure_changed()
            elif isinstance(value, Variable) and not any(value is w for w in self._weights):
                self._track_variable(value)
            elif getattr(value, "_is_metric", False) and not any(value is m for m in self._metrics):
                self._metrics.append(value)
        object.__setattr__(self, name, value)

    def _track_variable(self, variable):
        self._weights.append(variable)
        if variable.trainable:
            self._created_trainable.append(variable)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freeze or unfreeze this layer's trainable weights and its sublayers, as Keras 3 does."""
        value = bool(value)
        object.__setattr__(self, "_trainable", value)
        layer_structure_changed()
        for variable in self._created_trainable:
            variable.trainable = value
        for layer in self._layers:
            layer.trainable = value

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        name=None,
    ):
        """Create a Variable owned by this layer (order of creation is weight order)."""
        dtype = standardize_dtype(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if np.dtype(dtype).kind == "f" else "zeros"
        init = initializers.get(initializer)
        shape = tuple(int(d) for d in (shape or ()))
        weight_budget.spend(shape, dtype, self.name)
        if isinstance(init, initializers.Initializer):  # a fresh array each call: kept as drawn, no copy
            variable = Variable(init, shape=shape, dtype=dtype, trainable=trainable, name=name)
        else:  # a user's function may return an array it keeps: copied, so training never writes into it
            variable = Variable(init(shape, dtype=dtype), dtype=dtype, trainable=trainable, name=name)
        variable.path = f"{self.name}/{variable.name}"  # a parent layer prefixes its name (nest_weight_paths)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraint
        self._track_variable(variable)
        return variable

    @property
    def layers(self):
        return list(self._layers)

    def _flat_layers(self):
        for layer in self._layers:
            yield layer
            yield from layer._flat_layers()

    @property
    def weights(self):
        return _unique([w for layer in self._self_and_sublayers() for w in layer._weights])

    @property
    def trainable_weights(self):
        """The trainable weights of this layer and the layers inside it; a frozen layer gives none of its own
        or its sublayers'."""
        layers = self._self_and_sublayers(trainable_only=True)
        return _unique([w for layer in layers if layer._trainable for w in layer._weights if w.trainable])

    @property
    def non_trainable_weights(self):
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def metrics(self):
        """The metrics set as attributes of this layer and of the layers inside it."""
        return [m for layer in self._self_and_sublayers() for m in layer._metrics]

    @property
    def losses(self):
        """This thread's add_loss() values from the latest call, then the weights' regularization penalties."""
        layers = self._self_and_sublayers()
        out = [loss for layer in layers for loss in layer._losses]
        seen = set()
        for layer in layers:
            for w in layer._weights:
                if w.regularizer is not None and id(w) not in seen:
                    seen.add(id(w))
                    out.append(w.regularizer(w))
        return out

    def _self_and_sublayers(self, trainable_only=False):
        """This layer and every layer inside it, each once, in weight order (depth first, parents first);
        with `trainable_only`, not inside frozen layers. Kept until a layer's structure changes (training
        steps ask several times a step)."""
        version = layer_structure_version()
        cached = self._sublayers_cache
        if cached is None or cached[0] != version:
            cached = (version, self._walk_sublayers(False), self._walk_sublayers(True))
            object.__setattr__(self, "_sublayers_cache", cached)
        return cached[2] if trainable_only else cached[1]

    def _walk_sublayers(self, trainable_only):
        out, seen, stack = [], set(), [self]
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            out.append(layer)
            if not trainable_only or layer._trainable:
                stack.extend(reversed(layer._layers))
        return out

    @property
    def _losses(self):
        """The add_loss() values of this thread's latest call: a call in another thread never clears them."""
        local = self._losses_by_thread
        values = getattr(local, "values", None)
        if values is None:
            values = local.values = []
        return values

    def nest_weight_paths(self, sublayer):
        """Prefix this layer's name to `sublayer`'s weight paths, as Keras names nested weights
        ("lstm/lstm_cell/kernel", "bidirectional/forward_lstm/lstm_cell/kernel")."""
        for w in sublayer.weights:
            w.path = f"{self.name}/{w.path}"

    def add_loss(self, loss):
        """Add a loss term (a scalar Tensor) for the training step; an outermost call clears the previous ones."""
        self._losses.append(loss)
        context.layers_with_losses.append(self)

    def count_params(self):
        return int(sum(w.size for w in self.weights))

    def get_weights(self):
        return [w.data.copy() for w in self.weights]

    def set_weights(self, weights):
        params = self.weights
        if len(weights) != len(params):
            raise ValueError(
                f'Layer "{self.name}" expected {len(params)} weight arrays, but received '
                f"{len(weights)} (shapes expected: {[p.shape for p in params]})."
            )
        for p, value in zip(params, weights):
            value = np.asarray(value)
            if value.shape != p.shape:
                raise ValueError(
                    f'Layer "{self.name}" weight "{p.name}" has shape {p.shape}, but the provided '
                    f"array has shape {value.shape}."
                )
        for p, value in zip(params, weights):
            p.assign(value)

    # ---- building and calling -------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs):
        return inputs

    def _maybe_build(self, shape):
        if self.built:
            return
        try:
            self.build(shape)
        except (ValueError, TypeError) as e:
            if self.name in str(e) or type(e) not in (ValueError, TypeError):
                raise
            raise type(e)(
                f'Layer "{self.name}" ({type(self).__name__}) could not be built for input shape {shape}: {e}'
            ) from e
        self.built = True
        self._build_shapes = None  # built by a call on data: kept with its batch axis None
        self._record_build_shape(shape)

    def _record_build_shape(self, shape):
        """Keep a single input's shape (batch axis None) for get_build_config."""
        if self._build_shapes is None and isinstance(shape, tuple) and len(shape):
            self._build_shapes = (None,) + shape[1:]

    def __call__(self, *args, training=None, mask=None, **kwargs):
        inputs, args = self._split_inputs(args, kwargs)
        if not (type(inputs) is Tensor and not args and not kwargs) and symbolic.is_symbolic(inputs, args, kwargs):
            given = {"training": training} if training is not None else {}  # building a functional model's graph
            given.update({"mask": mask} if mask is not None else {})
            return symbolic.symbolic_call(self, (inputs, *args), {**kwargs, **given})
        if type(inputs) is Tensor:
            x = inputs
        else:
            x = to_input_tensors(inputs, self.name, self.autocast, self._array_input_dtype())
        if args:
            args = tuple(symbolic.map_structure(lambda v: _array_to_tensor(v, self), a) for a in args)
        if not self.built:
            self._maybe_build(shape_structure(x))
        stack = context.call_training
        if training is None:  # a nested call inherits its caller's `training`, as in Keras
            training = stack[-1] if stack else False
        else:
            training = bool(training)
        if not stack and context.layers_with_losses:  # an outermost call starts a fresh set of add_loss() losses
            for layer in self._self_and_sublayers():
                layer._losses.clear()
            context.layers_with_losses = [layer for layer in context.layers_with_losses if layer._losses]
        if self._call_takes_training:
            kwargs["training"] = training
        if mask is None:  # the mask a previous layer attached to its output (Embedding, Masking, ...)
            mask = get_mask(x)
        if self._call_takes_mask and mask is not None:
            kwargs["mask"] = mask
        stack.append(training)
        try:
            outputs = self.call(x, *args, **kwargs)
        except MemoryError as e:
            if isinstance(e, LayerMemoryError):  # an inner layer's, which names itself
                raise
            raise LayerMemoryError.of(self, x, e) from e
        finally:
            stack.pop()
        if self.activity_regularizer is not None:
            self._add_activity_losses(outputs)
        if self.supports_masking or self._computes_masks:  # a layer with its own compute_mask sets them, as in Keras
            attach_masks(outputs, self.compute_mask(x, mask))
        elif mask is not None:
            warnings.warn(
                f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input with a mask attached to "
                "it. However, this layer does not support masking and will therefore destroy the mask information. "
                "Downstream layers will not see the mask.",
                stacklevel=1,  # as Keras warns, from the layer's own __call__
            )
        return outputs

    def _split_inputs(self, args, kwargs):
        """The call's first argument (its inputs), given positionally or by the name `call()` gives it, as in
        Keras (`layer(logits=x, targets=y)`), and the positional arguments after it."""
        if args:
            return args[0], args[1:]
        first = next(iter(inspect.signature(self.call).parameters), None)
        if first in kwargs:
            return kwargs.pop(first), ()
        raise TypeError(
            f'Layer "{self.name}" ({type(self).__name__}) was called without inputs: pass them as the first '
            f"argument of the call, or as `{first}=`."
        )

    def _add_activity_losses(self, outputs):
        """The activity regularizer's penalty of each output, divided by its batch size, as Keras 3 adds it."""
        for output in symbolic.flatten(outputs):
            if isinstance(output, Tensor):
                loss = self.activity_regularizer(output)
                if output.ndim > 0 and output.shape[0]:
                    loss = loss / float(output.shape[0])
                self.add_loss(loss)

    def _array_input_dtype(self):
        """The dtype arrays given to this layer become: a float layer computes in its dtype whatever numbers come
        (Keras casts only floats; an int or bool array here would wrap or truncate inside float arithmetic)."""
        return self.dtype if np.dtype(self.dtype).kind == "f" else None

    def compute_mask(self, inputs, previous_mask):
        """The mask of this layer's output (layers that support masking pass theirs on unchanged)."""
        return previous_mask

    def compute_output_shape(self, input_shape):
        """Output shape (batch axis None) found by calling the layer on zeros."""
        concrete = tuple(1 if d is None else d for d in input_shape)
        with mode.no_grad():
            out = self(np.zeros(concrete, dtype=self.dtype))
        return (input_shape[0],) + tuple(out.shape[1:])

    # ---- config ---------------------------------------------------------------------
    def get_config(self):
        # Keras 3 writes no input shape here: a Sequential's config starts with its InputLayer
        config = {"name": self.name, "trainable": self.trainable, "dtype": dtype_policy_config(self.dtype)}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        if self._build_shapes is None:
            return None
        return {"input_shape": list(self._build_shapes)}

    def build_from_config(self, config):
        """Create the layer's state from get_build_config()'s dict, as loading a model does before it sets the
        weights: `build(input_shape)`, or `build(**shapes_dict)` for a layer built from several shapes."""
        if config:
            if "input_shape" in config:
                self.build(_json_shape(config["input_shape"]))
            elif "shapes_dict" in config:
                self.build(**{key: _json_shape(shape) for key, shape in config["shapes_dict"].items()})

    # ---- saving ---------------------------------------------------------------------
    def _own_variables(self):
        """This layer's own variables (not its sublayers') in the order Keras saves them: those created trainable
        first, then the others, each in creation order."""
        created_trainable = {id(v) for v in self._created_trainable}
        own = self._weights
        return [v for v in own if id(v) in created_trainable] + [v for v in own if id(v) not in created_trainable]

    def save_own_variables(self, store):
        """Write this layer's own state into `store` (a dict: entry name -> array) when its model is saved: by
        default its variables, under "0", "1", ... Override it, with load_own_variables, to keep other state."""
        for i, variable in enumerate(self._own_variables()):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Set this layer's own state from `store`, the entries its save_own_variables wrote, when a model is
        loaded."""
        variables = self._own_variables()
        if len(store.keys()) != len(variables):
            if not variables and not self.built:
                raise ValueError(
                    f"Layer '{self.name}' was never built and thus it doesn't have any variables. However the weights "
                    f"file lists {len(store.keys())} variables for this layer.\nIn most cases, this error indicates "
                    "that either:\n\n1. The layer is owned by a parent layer that implements a `build()` method, but "
                    "calling the parent's `build()` method did NOT create the state of the child layer "
                    f"'{self.name}'. A `build()` method must create ALL state for the layer, including the state of "
                    "any children layers.\n\n2. You need to implement the `def build_from_config(self, config)` "
                    f"method on layer '{self.name}', to specify how to rebuild it during loading. In this case, you "
                    "might also want to implement the method that generates the build config at saving time, "
                    "`def get_build_config(self)`. The method `build_from_config()` is meant to create the state of "
                    "the layer (i.e. its variables) upon deserialization."
                )
            raise ValueError(
                f"Layer '{self.name}' expected {len(variables)} variables, but received {len(store.keys())} "
                f"variables during loading. Expected: {[v.name for v in variables]}"
            )
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    # ---- the symbolic graph ----------------------------------------------------------
    @property
    def input(self):
        """The input KerasTensor(s) of this layer's first call on symbolic inputs, as Keras's `layer.input`."""
        return self._first_node_tensors("input_tensors", "input")

    @property
    def output(self):
        """The output KerasTensor(s) of this layer's first call on symbolic inputs, as Keras's `layer.output`."""
        return self._first_node_tensors("output_tensors", "output")

    def _first_node_tensors(self, attr, what):
        if not self._inbound_nodes:
            raise AttributeError(f"The layer {self.name} has never been called and thus has no defined {what}.")
        tensors = getattr(self._inbound_nodes[0], attr)
        return tensors[0] if len(tensors) == 1 else list(tensors)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _recording_build(build):
    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        build(self, *args, **kwargs)
        self.built = True
        shape = args[0] if args else kwargs.get("input_shape")
        if is_shape(shape) and self._build_shapes is None:
            self._build_shapes = tuple(shape)  # as `build` was given it, as Keras records it

    return wrapper


def _json_shape(shape):
    """A shape read from JSON, as `build` takes it: a list of dimensions becomes a tuple, a list of shapes a list of
    tuples."""
    if isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape):
        return tuple(shape)
    if isinstance(shape, list):
        return [_json_shape(s) for s in shape]
    return shape


def _unique(items):
    seen, out = set(), []
    for w in items:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out
