"""Lambda: a layer that applies a Python function (saved as bytecode; loading it needs safe_mode=False)."""

import inspect

from npkeras.layers.layer import Layer
from npkeras.saving.functions import deserialize_function, serialize_function


class Lambda(Layer):
    """Wraps `function(inputs, **arguments)` as a layer; prefer a Layer subclass for anything saved."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        if not callable(function):
            raise TypeError(f"Lambda needs a callable `function`. Received: {function!r}")
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._computes_masks = mask is not None  # as Keras: without `mask` it drops a mask it gets, and warns
        self._output_shape = output_shape
        params = inspect.signature(function).parameters
        self._fn_takes_training, self._fn_takes_mask = "training" in params, "mask" in params

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        return (input_shape[0],) + tuple(self._output_shape)

    def compute_mask(self, inputs, previous_mask):
        return self.mask(inputs, previous_mask) if callable(self.mask) else self.mask

    def get_config(self):
        config = {"function": serialize_function(self.function)}
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = serialize_function(shape) if callable(shape) else list(shape)
        if self.mask is not None:
            if not callable(self.mask):
                raise ValueError(f'Layer "{self.name}": a constant `mask` cannot be saved; pass a function.')
            config["mask"] = serialize_function(self.mask)
        config["arguments"] = self.arguments
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["function"] = deserialize_function(config["function"])
        shape = config.get("output_shape")
        if isinstance(shape, dict):
            config["output_shape"] = deserialize_function(shape)
        elif isinstance(shape, list):
            config["output_shape"] = tuple(shape)
        if config.get("mask") is not None:
            config["mask"] = deserialize_function(config["mask"])
        return cls(**config)
