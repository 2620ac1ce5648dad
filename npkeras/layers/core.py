"""Dense, Activation and Identity, and KernelLayer: the kernel, bias and activation Dense shares with the
convolutions."""

from npkeras import activations, initializers, ops, regularizers
from npkeras.layers.input_spec import check_input_axis
from npkeras.layers.layer import Layer
from npkeras.ops import nn


class KernelLayer(Layer):
    """A layer with a kernel, an optional bias and an activation whose ReLU its op fuses: the
    options and weights Dense and the convolutions share."""

    def _set_kernel_options(
        self,
        activation,
        use_bias,
        kernel_initializer,
        bias_initializer,
        kernel_regularizer,
        bias_regularizer,
        activity_regularizer,
        kernel_constraint,
        bias_constraint,
    ):
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    @property
    def _fuse_relu(self):
        """ReLU runs inside the layer's op; read at call time, as `activation` may be reassigned."""
        return self.activation is activations.relu

    def _add_kernel_and_bias(self, kernel_shape):
        """Create `kernel` and, with `use_bias`, `bias` (one per output unit: the kernel's last axis)."""
        self.kernel = self.add_weight(
            shape=kernel_shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(kernel_shape[-1],),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )


class Dense(KernelLayer):
    """`output = activation(dot(input, kernel) + bias)` over the last axis of the input."""

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. Received: units={units!r}"
            )
        if lora_rank is not None or quantization_config is not None:
            raise ValueError(f'Layer "{self.name}": npkeras\'s Dense supports neither LoRA nor quantization.')
        self.units = units
        self.supports_masking = True
        self._set_kernel_options(
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
        )

    def build(self, input_shape):
        if len(input_shape) < 2:
            raise ValueError(
                f'Layer "{self.name}" expects input of rank >= 2 (batch, features), but received '
                f"input with shape {tuple(input_shape)}."
            )
        self._add_kernel_and_bias((input_shape[-1], self.units))

    def call(self, inputs):
        """`activation(inputs @ kernel + bias)` as one op (ReLU fused into it); other activations run after."""
        check_input_axis(self, inputs, -1, self.kernel.shape[0])
        if inputs.dtype != self.kernel.dtype:  # ints and other floats compute in the layer's dtype
            inputs = ops.cast(inputs, self.kernel.dtype)
        op = nn.Dense(relu=self._fuse_relu)
        y = op(inputs, self.kernel) if self.bias is None else op(inputs, self.kernel, self.bias)
        if not self._fuse_relu and self.activation is not None:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": None,
            "bias_constraint": None,
            "quantization_config": None,
        }
        if self.activity_regularizer is not None:  # Keras writes the key only when one is set
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self.built = True  # stateless: built at construction, as in Keras

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Identity(Layer):
    """Returns its inputs unchanged (masks included); a placeholder in a model's graph."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
