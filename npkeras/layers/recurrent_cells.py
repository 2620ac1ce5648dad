"""SimpleRNNCell, LSTMCell and GRUCell: the weights, options and one step of each recurrence.

A cell owns its layer's weights, under Keras's names (kernel, recurrent_kernel, bias) and
layouts. The recurrent layers (layers/recurrent.py) run a whole sequence through the cell's
fused op (ops/rnn_cells.py); `cell(inputs, states)` runs one step through the same op.
"""

import numpy as np

from npkeras import activations, initializers, ops, regularizers
from npkeras.autograd.tensor import Tensor
from npkeras.backend import random
from npkeras.layers.layer import Layer
from npkeras.ops import nn, rnn, rnn_cells


def _dropout_rate(value, name, layer):
    if not 0 <= value < 1:
        raise ValueError(f'Layer "{layer}": `{name}` must be in [0, 1). Received: {name}={value}')
    return float(value)


class RecurrentCell(Layer):
    """The options every cell shares, its weights and its fused op."""

    gates = 1
    op_class = None

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        _owner_name=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.owner_name = _owner_name or self.name  # the layer named in errors: the RNN that runs this cell
        if not isinstance(units, (int, np.integer)) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Received an invalid value for argument `units`, expected a positive integer, got {units!r}."
            )
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = _dropout_rate(dropout, "dropout", self.owner_name)
        self.recurrent_dropout = _dropout_rate(recurrent_dropout, "recurrent_dropout", self.owner_name)
        self.seed = seed
        self.rng = None if seed is None else np.random.default_rng(seed)

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        width = self.gates * self.units
        self.kernel = self.add_weight(
            shape=(input_shape[-1], width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self.bias_shape(),
                initializer=self.bias_init(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    def bias_shape(self):
        return (self.gates * self.units,)

    def bias_init(self):
        return self.bias_initializer

    def weight_tensors(self):
        """The op's weight inputs, in its order."""
        return [self.kernel, self.recurrent_kernel] + ([self.bias] if self.use_bias else [])

    def scan_op(self, **flags):
        """The fused op that runs this cell over a sequence (flags: return_sequences, masks, ...)."""
        return self.op_class(use_bias=self.use_bias, **self._activation_names(), **flags)

    def _activation_names(self):
        names = {"activation": self._fused_name(self.activation, "activation")}
        if hasattr(self, "recurrent_activation"):
            names["recurrent_activation"] = self._fused_name(self.recurrent_activation, "recurrent_activation")
        return names

    def _fused_name(self, fn, argument):
        name = getattr(fn, "__name__", None)
        if name in rnn.ACTIVATIONS and activations.get(name) is fn:
            return name
        raise ValueError(
            f'Layer "{self.owner_name}": npkeras\'s fused recurrence computes `{argument}` as one of '
            f"{sorted(rnn.ACTIVATIONS)}. Received: {fn!r}"
        )

    def call(self, inputs, states, training=False):
        """One step: (output, new_states) for inputs (batch, features) and the previous states; in
        training, fresh dropout masks on the inputs and on h_{t-1}."""
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        x = ops.expand_dims(inputs if isinstance(inputs, Tensor) else Tensor(np.asarray(inputs)), 1)
        batch = x.shape[0]
        x, recurrent_mask = self.dropout_masks(x, (batch, 1, x.shape[2]), batch, training)
        op = self.scan_op(recurrent_mask=recurrent_mask)
        outputs = op(x, *self.weight_tensors(), *[ops.convert_to_tensor(s) for s in states])
        return outputs[0], list(outputs[1:])

    def dropout_masks(self, x, noise_shape, batch, training):
        """(x with input dropout applied, the recurrent dropout mask or None), in training only."""
        recurrent_mask = None
        if training and self.dropout > 0:
            x = nn.Dropout(self.dropout, noise_shape, self._rng())(x)
        if training and self.recurrent_dropout > 0:
            recurrent_mask = nn.dropout_mask((batch, self.units), self.recurrent_dropout, self._rng(), x.dtype)
        return x, recurrent_mask

    def _rng(self):
        return self.rng or random.generator()

    def options(self):
        """Every option of the cell by its Keras name (the recurrent layers' configs are made of them)."""
        options = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": None,
            "recurrent_constraint": None,
            "bias_constraint": None,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        if hasattr(self, "recurrent_activation"):
            options["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        return options

    def get_config(self):
        options = self.options()
        return {**super().get_config(), **{key: options[key] for key in self.config_keys}}


_COMMON_KEYS = (
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
)


class SimpleRNNCell(RecurrentCell):
    """h_t = activation(x_t W + h_{t-1} U + b)."""

    op_class = rnn_cells.SimpleRNNScan
    config_keys = ("units", "activation", "use_bias", *_COMMON_KEYS, "seed")


class LSTMCell(RecurrentCell):
    """The LSTM step with gates i, f, c, o; `unit_forget_bias` starts the forget gate's bias at 1."""

    gates = 4
    op_class = rnn_cells.LSTMScan
    config_keys = ("units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias", *_COMMON_KEYS, "seed")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self):
        return [self.units, self.units]

    def bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, n = self.bias_initializer, self.units

        def forget_one(shape, dtype=None):
            return np.concatenate([base((n,), dtype), np.ones(n, dtype), base((2 * n,), dtype)])

        return forget_one

    def options(self):
        return {**super().options(), "unit_forget_bias": self.unit_forget_bias}


class GRUCell(RecurrentCell):
    """The GRU step with gates z, r, h; `reset_after` applies the reset gate after h U (cuDNN's form)."""

    gates = 3
    config_keys = ("units", "activation", "recurrent_activation", "use_bias", *_COMMON_KEYS, "reset_after", "seed")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", reset_after=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after

    def bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def scan_op(self, **flags):
        return rnn_cells.GRUScan(
            use_bias=self.use_bias, reset_after=self.reset_after, **self._activation_names(), **flags
        )

    def options(self):
        return {**super().options(), "reset_after": self.reset_after}
