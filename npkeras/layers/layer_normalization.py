"""LayerNormalization: normalize each sample over its last axis (or given axes), then scale and shift."""

import warnings

import numpy as np

from npkeras import initializers, ops, regularizers
from npkeras.layers.layer import Layer
from npkeras.ops.layer_normalization import layer_normalization


class LayerNormalization(Layer):
    """y = (x - mean) / sqrt(variance + epsilon) * gamma + beta, statistics per sample over `axis`.

    gamma and beta have the sizes of the normalized axes, as Keras's. `rms_scaling=True` (deprecated in
    Keras, with its warning) drops beta and the mean subtraction: x / sqrt(variance + epsilon) * gamma.
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the input "
                "by the variance, not the root mean square. To correctly use RMS Normalization, please use "
                "`keras.layers.RMSNormalization` instead.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
            self.axis = int(axis)
        else:
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument 'axis', but received: {axis!r}")
        self.epsilon = epsilon
        self.center, self.scale, self.rms_scaling = center, scale, rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.supports_masking = True

    def build(self, input_shape):
        axes = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        for axis in axes:
            if not -len(input_shape) <= axis < len(input_shape):
                raise ValueError(
                    f"Axis {axis} is out of bounds for input shape {tuple(input_shape)}. Received: axis={self.axis}"
                )
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(
                f'Layer "{self.name}": the normalized axes {axes} of the input must be known. '
                f"Received input shape {tuple(input_shape)}"
            )
        self.axis = axes
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                shape,
                self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                shape,
                self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )

    def call(self, inputs):
        weight = self.gamma if self.gamma is not None else self.beta
        if weight is not None:
            in_range = all(-inputs.ndim <= a < inputs.ndim for a in self.axis)
            if not in_range or tuple(inputs.shape[a] for a in self.axis) != weight.shape:
                raise ValueError(
                    f'Layer "{self.name}" (LayerNormalization) was built for size {weight.shape} on axis '
                    f"{self.axis}, but received input with shape {tuple(inputs.shape)}."
                )
        if inputs.dtype != np.dtype(self.dtype):
            inputs = ops.cast(inputs, self.dtype)
        return layer_normalization(inputs, self.gamma, self.beta, self.axis, self.epsilon, rms_scaling=self.rms_scaling)

    def compute_output_shape(self, input_shape):
        for axis in self.axis if isinstance(self.axis, list) else [self.axis]:
            if axis >= len(input_shape) or axis < -len(input_shape):
                raise ValueError(
                    f"Axis {axis} is out of bounds for input shape {input_shape}. Received: axis={self.axis}"
                )
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": None,
            "gamma_constraint": None,
        }
