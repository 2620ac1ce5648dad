"""RNN, SimpleRNN, LSTM and GRU: a cell run over a sequence as one fused op.

Keras 3's arguments and behaviour: return_sequences, return_state, go_backwards, stateful,
masks (from Embedding(mask_zero=True), Masking or `mask=`), initial_state, dropout on the
inputs and recurrent_dropout on h_{t-1} (one mask per sequence, shared by the gates, as Keras's
fused implementation draws it), and an activity regularizer on the output.
"""

import numpy as np

from npkeras import regularizers
from npkeras.autograd.tensor import Tensor
from npkeras.layers import cell_loop
from npkeras.layers.input_spec import check_input_rank
from npkeras.layers.layer import Layer
from npkeras.layers.recurrent_cells import GRUCell, LSTMCell, RecurrentCell, SimpleRNNCell
from npkeras.layers.stacked_rnn_cells import StackedRNNCells
from npkeras.ops.math import cast
from npkeras.utils.naming import to_snake_case, uniquify

_RNN_ARGUMENTS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask")
_LAYER_ARGUMENTS = ("name", "trainable", "dtype", "input_shape", "input_dim", "batch_input_shape", "batch_size")
_CELL_ATTRIBUTES = frozenset(LSTMCell.config_keys + GRUCell.config_keys)  # every cell option, by Keras name


def _layer_keys(cell_keys, after_initializers=()):
    """A recurrent layer's config keys in Keras's order: its cell's, with `activity_regularizer`
    after `bias_regularizer` and `after_initializers` after `bias_initializer`."""
    keys = []
    for key in cell_keys:
        keys.append(key)
        if key == "bias_initializer":
            keys.extend(after_initializers)
        if key == "bias_regularizer":
            keys.append("activity_regularizer")
    return tuple(keys)


class RNN(Layer):
    """Run `cell` over the steps of (batch, steps, features): npkeras's SimpleRNNCell, LSTMCell and GRUCell as one
    fused op, any other Keras-style cell (`state_size`, `call(inputs, states)`) as a loop of ops."""

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        activity_regularizer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(
                f'Argument `cell` of layer "{self.name}" should have a `call` method. Received: cell={cell!r}'
            )
        if getattr(cell, "state_size", None) is None:
            raise ValueError(
                f'The RNN cell of layer "{self.name}" should have a `state_size` attribute (single integer or list of '
                f"integers, one integer per RNN state). Received: cell={cell!r}"
            )
        self.fused = isinstance(cell, RecurrentCell)
        if not self.fused:
            cell_loop.state_sizes(self.name, cell)  # a bad state_size fails now, naming the layer
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)  # no effect here: the fused op is as fast as an unrolled loop
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.supports_masking = True
        self.states = None  # the carried states of a stateful layer
        if self.fused:
            cell._activation_names()  # an activation the fused op lacks fails now, naming the layer

    def __getattr__(self, name):
        """The cell's options read through the layer (`lstm.units`, `lstm.dropout`, ...), as in Keras."""
        cell = self.__dict__.get("cell")
        if name in _CELL_ATTRIBUTES and cell is not None:
            return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def build(self, input_shape):
        if any(isinstance(d, (tuple, list)) for d in input_shape):
            raise ValueError(
                f'Layer "{self.name}" takes one sequence tensor of shape (batch, steps, features); it does not take '
                f"nested inputs (a cell over several tensors). Shapes received: {tuple(input_shape)}"
            )
        if len(input_shape) != 3:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected ndim=3 (batch, steps, '
                f"features), found ndim={len(input_shape)}. Full shape received: {tuple(input_shape)}"
            )
        if not self.cell.built:
            self.cell._maybe_build((input_shape[0], input_shape[-1]))
            self.nest_weight_paths(self.cell)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        check_input_rank(self, sequences, 3)
        if not self.fused:
            return self._call_cell_loop(sequences, initial_state, mask, training)
        cell = self.cell
        batch, steps, features = sequences.shape
        if features != cell.kernel.shape[0]:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected axis -1 of input shape '
                f"to have value {cell.kernel.shape[0]}, but received input with shape {tuple(sequences.shape)}"
            )
        x = sequences if sequences.dtype == cell.kernel.dtype else cast(sequences, cell.kernel.dtype)
        mask = self._step_mask(mask, batch, steps)
        states = self._initial_states(initial_state, batch)
        x, recurrent_mask = cell.dropout_masks(x, (batch, 1, features), batch, training)
        op = cell.scan_op(
            return_sequences=self.return_sequences,
            go_backwards=self.go_backwards,
            mask=mask,
            recurrent_mask=recurrent_mask,
            zero_output_for_mask=self.zero_output_for_mask,
        )
        output, *final_states = op(x, *cell.weight_tensors(), *states)
        if self.stateful:
            self.states = [s.data.copy() for s in final_states]
        return [output, *final_states] if self.return_state else output

    def _call_cell_loop(self, sequences, initial_state, mask, training):
        cell = self.cell
        batch, steps = sequences.shape[:2]
        sizes = cell_loop.state_sizes(self.name, cell)
        states = self._initial_states(initial_state, batch)
        if not states:
            states = cell_loop.initial_states(cell, sizes, batch, cell.dtype)
        mask = self._step_mask(mask, batch, steps)
        outputs, last, final_states = cell_loop.run_cell(
            cell, sequences, states, mask, training, self.go_backwards, self.zero_output_for_mask
        )
        if self.stateful:
            self.states = [s.data.copy() for s in cell_loop.flatten(final_states)]
        output = outputs if self.return_sequences else last
        return [output, *final_states] if self.return_state else output

    def _state_sizes(self):
        if self.fused:
            sizes = self.cell.state_size
            return sizes if isinstance(sizes, list) else [sizes]
        return cell_loop.state_sizes(self.name, self.cell)

    def _output_size(self):
        return self.cell.units if self.fused else cell_loop.output_size(self.cell, self._state_sizes())

    def _step_mask(self, mask, batch, steps):
        """The mask as a (batch, steps) boolean array, or None when it masks nothing."""
        if mask is None:
            return None
        mask = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        if mask.shape != (batch, steps):
            raise ValueError(
                f'Layer "{self.name}": the mask must have shape (batch, steps) = {(batch, steps)}. '
                f"Received mask of shape {mask.shape}"
            )
        mask = mask.astype(bool, copy=False)
        return None if mask.all() else mask

    def _initial_states(self, initial_state, batch):
        sizes = self._state_sizes()
        if initial_state is None and self.stateful and self.states is not None:
            if self.states[0].shape[0] != batch:
                raise ValueError(
                    f'Layer "{self.name}" is stateful and carries states for batches of {self.states[0].shape[0]}, '
                    f"but received a batch of {batch}. Feed batches of one size, or call reset_states() first."
                )
            initial_state = self.states
        if initial_state is None:
            return []
        states = cell_loop.flatten(initial_state)  # a stacked cell's states may come nested or flat
        flat_sizes = cell_loop.flatten(sizes)
        if len(states) != len(flat_sizes):
            raise ValueError(
                f'Layer "{self.name}" expects {len(flat_sizes)} initial state(s), but received {len(states)}.'
            )
        out = []
        for s, size in zip(states, flat_sizes):
            s = s if isinstance(s, Tensor) else Tensor(np.asarray(s, dtype=self.cell.dtype))
            if s.shape != (batch, size):
                raise ValueError(
                    f'Layer "{self.name}": each initial state must have shape (batch, units) = {(batch, size)}. '
                    f"Received a state of shape {s.shape}"
                )
            out.append(s)
        return out if self.fused else cell_loop.pack_as(sizes, out)

    def reset_states(self):
        """Forget the carried states of a stateful layer."""
        self.states = None

    reset_state = reset_states

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        units = self._output_size()
        output = (batch, steps, units) if self.return_sequences else (batch, units)
        if not self.return_state:
            return output
        return [output] + cell_loop.map_structure(lambda n: (batch, n), self._state_sizes())

    def compute_mask(self, inputs, previous_mask):
        output_mask = previous_mask if self.return_sequences else None
        if not self.return_state:
            return output_mask
        return [output_mask] + cell_loop.map_structure(lambda _: None, self._state_sizes())

    def get_config(self):
        config = {**super().get_config(), **{name: getattr(self, name) for name in _RNN_ARGUMENTS}}
        if type(self) is RNN:
            from npkeras.layers.serialization import serialize

            return {**config, "cell": serialize(self.cell)}
        options = {**self.cell.options(), "activity_regularizer": regularizers.serialize(self.activity_regularizer)}
        return {**config, **{key: options[key] for key in self.config_keys}}

    @classmethod
    def from_config(cls, config):
        if cls is RNN:
            from npkeras.layers.serialization import deserialize

            config = {**config, "cell": deserialize(config["cell"])}
        return cls(**config)


class _CellRNN(RNN):
    """An RNN that makes its own cell from the cell's arguments (SimpleRNN, LSTM, GRU)."""

    cell_class = None
    cell_name = None

    def __init__(self, units, **kwargs):
        kwargs.pop("use_cudnn", None)  # no cuDNN here
        rnn_kwargs = {k: kwargs.pop(k) for k in (*_RNN_ARGUMENTS, *_LAYER_ARGUMENTS) if k in kwargs}
        rnn_kwargs["name"] = rnn_kwargs.get("name") or uniquify(to_snake_case(type(self).__name__))
        activity_regularizer = kwargs.pop("activity_regularizer", None)
        cell = self.cell_class(
            units,
            name=self.cell_name,
            _owner_name=rnn_kwargs["name"],
            dtype=rnn_kwargs.get("dtype"),
            trainable=rnn_kwargs.get("trainable", True),
            **kwargs,
        )
        super().__init__(cell, activity_regularizer=activity_regularizer, **rnn_kwargs)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)


class SimpleRNN(_CellRNN):
    """A fully connected RNN: h_t = activation(x_t W + h_{t-1} U + b)."""

    cell_class, cell_name = SimpleRNNCell, "simple_rnn_cell"
    config_keys = _layer_keys(SimpleRNNCell.config_keys[:-1])  # Keras's SimpleRNN writes no seed


class LSTM(_CellRNN):
    """Long Short-Term Memory (Hochreiter & Schmidhuber, 1997); states [h, c]."""

    cell_class, cell_name = LSTMCell, "lstm_cell"
    config_keys = _layer_keys(
        tuple(k for k in LSTMCell.config_keys if k != "unit_forget_bias"), after_initializers=("unit_forget_bias",)
    )


class GRU(_CellRNN):
    """Gated Recurrent Unit (Cho et al., 2014), reset gate after the matmul by default."""

    cell_class, cell_name = GRUCell, "gru_cell"
    config_keys = _layer_keys(GRUCell.config_keys)
