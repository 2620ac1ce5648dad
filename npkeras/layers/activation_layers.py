"""The activation layers of keras.layers: ReLU, LeakyReLU, PReLU, ELU and Softmax."""

import warnings

import numpy as np

from npkeras import initializers, regularizers
from npkeras.layers.layer import Layer
from npkeras.ops import activation as activation_ops
from npkeras.ops import math as math_ops
from npkeras.ops.parametric_relu import parametric_relu


class _Elementwise(Layer):
    """A stateless layer whose output has the input's shape and mask: built at construction, as in Keras."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class ReLU(_Elementwise):
    """max(x, 0) in Keras's general form: `negative_slope` below `threshold`, capped at `max_value`."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of a ReLU layer cannot be a negative value. Received: max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "negative_slope of a ReLU layer cannot be None or a negative value. "
                f"Received: negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                f"threshold of a ReLU layer cannot be None or a negative value. Received: threshold={threshold}"
            )
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        op = activation_ops.Relu(float(self.negative_slope), self.max_value, float(self.threshold))
        return op(inputs)

    def get_config(self):
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }


class LeakyReLU(_Elementwise):
    """x for x >= 0, negative_slope * x below (Keras 3 names the slope `negative_slope`; `alpha` still works)."""

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:  # Keras 2's name, accepted by Keras 3 with a deprecation warning
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a "
                f"float. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope

    def call(self, inputs):
        return activation_ops.leaky_relu(inputs, float(self.negative_slope))

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class PReLU(Layer):
    """Leaky ReLU with a learned slope `alpha` per input entry (one per group along `shared_axes`)."""

    def __init__(
        self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = alpha_constraint
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f'Layer "{self.name}": every entry of `shared_axes` must be an axis of the input other than '
                    f"the batch axis (1 to {len(input_shape) - 1}). Received: shared_axes={self.shared_axes}"
                )
            param_shape[axis - 1] = 1
        if None in param_shape:
            raise ValueError(
                f'Layer "{self.name}": PReLU needs every non-shared axis of its input defined. '
                f"Received input_shape={tuple(input_shape)}, shared_axes={self.shared_axes}"
            )
        self.alpha = self.add_weight(
            shape=param_shape,
            name="alpha",
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )

    def call(self, inputs):
        expected = tuple(1 if a == 1 else d for a, d in zip(self.alpha.shape, inputs.shape[1:]))
        if inputs.ndim != self.alpha.ndim + 1 or expected != tuple(self.alpha.shape):
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: its alpha has shape '
                f"{tuple(self.alpha.shape)} (per sample), but received input with shape {tuple(inputs.shape)}"
            )
        return parametric_relu(inputs, self.alpha)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": None,
            "shared_axes": self.shared_axes,
        }


class ELU(_Elementwise):
    """x for x > 0, alpha * (exp(x) - 1) below."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return activation_ops.elu(inputs, alpha=self.alpha)

    def get_config(self):  # Keras writes it from the constructor's arguments
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(_Elementwise):
    """Softmax along `axis` (an int or several axes); with a mask, masked entries get probability 0."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._broadcastable_mask(inputs, mask)
            inputs = math_ops.where(mask, inputs, -3e4 if inputs.dtype == np.float16 else -1e9)
        axis = self.axis
        if isinstance(axis, (list, tuple)):
            if len(axis) > 1:
                axes = tuple(axis)
                outputs = math_ops.exp(inputs - activation_ops.logsumexp(inputs, axis=axes, keepdims=True))
            else:
                outputs = activation_ops.softmax(inputs, axis=axis[0])
        else:
            outputs = activation_ops.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = math_ops.where(mask, outputs, 0.0)
        return outputs

    def _broadcastable_mask(self, inputs, mask):
        mask = np.asarray(mask.data if hasattr(mask, "data") else mask)
        fits = mask.ndim <= inputs.ndim and all(
            m in (1, i) for m, i in zip(reversed(mask.shape), reversed(inputs.shape))
        )
        if not fits:
            raise ValueError(
                "The `mask` must be broadcastable to `inputs`: each mask dimension must be 1 or match the "
                f"corresponding input dimension. Received: inputs.shape={tuple(inputs.shape)}, "
                f"mask.shape={mask.shape}"
            )
        return mask if mask.dtype == bool else mask > 0.5

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
