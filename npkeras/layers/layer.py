"""Layer: the base of every layer and model (weights, build on first call, config)."""

import functools
import inspect

import numpy as np

from npkeras import initializers, regularizers
from npkeras.autograd import mode
from npkeras.autograd.tensor import Tensor
from npkeras.autograd.variable import Variable
from npkeras.backend.arrays import numeric_array
from npkeras.backend.config import floatx, standardize_dtype
from npkeras.layers import symbolic, weight_budget
from npkeras.utils.naming import to_snake_case, uniquify


def dtype_policy_config(dtype):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": dtype}, "registered_name": None}


def _dtype_name(dtype):
    if isinstance(dtype, dict):  # a serialized DTypePolicy
        return dtype.get("config", {}).get("name", floatx())
    return standardize_dtype(dtype)


def to_input_tensor(x, layer_name, autocast=True):
    """Arrays and lists to a Tensor (float64 data becomes floatx); reject non-numeric data.

    Without `autocast` the data is wrapped as it is, for the layer to check (Embedding's ids)."""
    if isinstance(x, Tensor):
        return x
    if not autocast:
        return Tensor(np.asarray(x))
    return Tensor(numeric_array(x, f'The input of layer "{layer_name}"'))


# `training` of the layer calls in progress, outermost first: a nested call made without an
# explicit `training` inherits its caller's, as in Keras.
_CALL_TRAINING = []


class Layer:
    def __init_subclass__(cls, **kwargs):
        """A subclass's own `build` marks the layer built and records its input shape."""
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _recording_build(cls.__dict__["build"])

    def __init__(
        self,
        *,
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
        object.__setattr__(self, "_created_trainable", [])  # what layer.trainable switches
        object.__setattr__(self, "_inbound_nodes", [])  # its calls on symbolic inputs (functional models)
        self.name = name or uniquify(to_snake_case(type(self).__name__))
        self.trainable = trainable
        self.dtype = _dtype_name(dtype)
        self.autocast = autocast
        self.built = False
        self.supports_masking = False
        self._build_shapes = None
        self._losses = []
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            self._batch_input_shape = tuple(batch_input_shape)
        elif input_shape is not None:
            self._batch_input_shape = (batch_size,) + tuple(input_shape)
        else:
            self._batch_input_shape = None
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
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Layer) and not any(item is t for t in tracked):
                        tracked.append(item)
            elif isinstance(value, Variable) and not any(value is w for w in self._weights):
                self._track_variable(value)
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
        return _unique(self._weights + [w for layer in self._layers for w in layer.weights])

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        own = [w for w in self._weights if w.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.trainable_weights])

    @property
    def non_trainable_weights(self):
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def losses(self):
        """Losses added during the last call (add_loss) and the weights' regularization penalties."""
        return collect_losses(*self._find_loss_sources())

    def _find_loss_sources(self):
        """(this layer and its sublayers, the weights that carry a regularizer)."""
        return [self, *self._flat_layers()], [w for w in self.weights if w.regularizer is not None]

    def nest_weight_paths(self, sublayer):
        """Prefix this layer's name to `sublayer`'s weight paths, as Keras names nested weights
        ("lstm/lstm_cell/kernel", "bidirectional/forward_lstm/lstm_cell/kernel")."""
        for w in sublayer.weights:
            w.path = f"{self.name}/{w.path}"

    def add_loss(self, loss):
        self._losses.append(loss)

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
        if self._build_shapes is None and not isinstance(shape, list) and len(shape):
            self._build_shapes = (None,) + tuple(shape[1:])

    def __call__(self, inputs, *args, training=None, mask=None, **kwargs):
        if symbolic.is_symbolic(inputs, args, kwargs):  # building a functional model's graph
            given = {"training": training} if training is not None else {}
            given.update({"mask": mask} if mask is not None else {})
            return symbolic.symbolic_call(self, (inputs, *args), {**kwargs, **given})
        x = inputs
        if not isinstance(inputs, (list, tuple, dict)):
            x = to_input_tensor(inputs, self.name, self.autocast)
        if not self.built:
            self._maybe_build(x.shape if isinstance(x, Tensor) else [np.shape(t) for t in x])
        if training is None:
            training = _CALL_TRAINING[-1] if _CALL_TRAINING else False
        else:
            training = bool(training)
        if not _CALL_TRAINING:  # an outermost call starts a fresh set of add_loss() losses
            for layer in (self, *self._flat_layers()):
                layer._losses.clear()
        if self._call_takes_training:
            kwargs["training"] = training
        if mask is None:  # the mask a previous layer attached to its output (Embedding, Masking, ...)
            mask = getattr(x, "_keras_mask", None)
        if self._call_takes_mask and mask is not None:
            kwargs["mask"] = mask
        _CALL_TRAINING.append(training)
        try:
            outputs = self.call(x, *args, **kwargs)
        finally:
            _CALL_TRAINING.pop()
        if self.supports_masking:
            _attach_masks(outputs, self.compute_mask(x, mask))
        return outputs

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
        return {"name": self.name, "trainable": self.trainable, "dtype": dtype_policy_config(self.dtype)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        if self._build_shapes is None:
            return None
        return {"input_shape": list(self._build_shapes)}

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def collect_losses(layers, regularized_weights):
    """The add_loss() losses of `layers` and the penalties of `regularized_weights`."""
    out = [loss for layer in layers for loss in layer._losses]
    out.extend(w.regularizer(w) for w in regularized_weights)
    return out


def _attach_masks(outputs, masks):
    """Set each output's `_keras_mask` (a list of masks for a list of outputs)."""
    if masks is None:
        return
    if isinstance(outputs, (list, tuple)):
        masks = masks if isinstance(masks, (list, tuple)) else [masks] * len(outputs)
        for out, m in zip(outputs, masks):
            _attach_masks(out, m)
    elif isinstance(outputs, Tensor) and outputs._keras_mask is None:
        outputs._keras_mask = np.asarray(masks.data if isinstance(masks, Tensor) else masks, dtype=bool)


def _recording_build(build):
    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        build(self, *args, **kwargs)
        self.built = True
        shape = args[0] if args else kwargs.get("input_shape")
        if shape is not None and not isinstance(shape, (list, dict)) and len(shape):
            self._build_shapes = (None,) + tuple(shape[1:])

    return wrapper


def _unique(items):
    seen, out = set(), []
    for w in items:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out
