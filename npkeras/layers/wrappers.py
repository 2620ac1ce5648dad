"""Wrappers: Bidirectional (a recurrent layer read both ways) and TimeDistributed (a layer per step)."""

from npkeras import ops
from npkeras.layers.layer import Layer
from npkeras.layers.recurrent import RNN
from npkeras.layers.serialization import deserialize, serialize

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _renamed_copy(layer, name, **changes):
    """A new, unbuilt layer with `layer`'s config, a new name and the given options changed."""
    config = {**layer.get_config(), "name": name, **changes}
    return type(layer).from_config(config)


class Bidirectional(Layer):
    """Run `layer` forwards and a copy of it backwards over the sequence and merge their outputs."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, RNN):
            raise ValueError(
                f'Layer "{self.name}": Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU, RNN). '
                f"Received: layer={layer!r}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f'Layer "{self.name}": invalid merge mode. Received: merge_mode={merge_mode!r}. Merge mode should '
                'be one of {"sum", "mul", "ave", "concat", None}'
            )
        self.forward_layer = _renamed_copy(layer, f"forward_{layer.name.removeprefix('forward_')}")
        if backward_layer is None:
            backward_layer = _renamed_copy(layer, f"backward_{layer.name.removeprefix('backward_')}", go_backwards=True)
        elif not isinstance(backward_layer, RNN):
            raise ValueError(f'Layer "{self.name}": `backward_layer` must be a recurrent layer. Got {backward_layer!r}')
        elif (backward_layer.return_sequences, backward_layer.return_state) != (
            layer.return_sequences,
            layer.return_state,
        ):
            raise ValueError(
                f'Layer "{self.name}": the forward and backward layers must agree on `return_sequences` and '
                "`return_state`."
            )
        if backward_layer.go_backwards == self.forward_layer.go_backwards:
            raise ValueError(
                f'Layer "{self.name}": the forward and backward layers should have different `go_backwards` values. '
                f"Received: forward_layer.go_backwards={self.forward_layer.go_backwards}, "
                f"backward_layer.go_backwards={backward_layer.go_backwards}"
            )
        self.backward_layer = backward_layer
        for inner in (self.forward_layer, self.backward_layer):  # as Keras: masked steps of sequences are zeros
            inner.zero_output_for_mask = inner.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        if weights is not None:
            raise ValueError(f'Layer "{self.name}": pass weights with set_weights() after building.')

    def build(self, input_shape):
        for inner in (self.forward_layer, self.backward_layer):
            if not inner.built:
                inner._maybe_build(tuple(input_shape))
                self.nest_weight_paths(inner)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, mask=mask, training=training)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev[:, ::-1]  # the backward layer's sequence back in input order
        output = self._merge(y, y_rev)
        if self.return_state:
            return (output if isinstance(output, list) else [output]) + states
        return output

    def _merge(self, y, y_rev):
        if self.merge_mode == "concat":
            return ops.concatenate([y, y_rev], axis=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) * 0.5
        if self.merge_mode == "mul":
            return y * y_rev
        return [y, y_rev]

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:]) * 2
        if self.merge_mode == "concat":
            shape = (*shape[:-1], shape[-1] * 2)
        outputs = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state:
            return outputs + states
        return outputs[0] if self.merge_mode is not None else outputs

    def compute_mask(self, inputs, previous_mask):
        output_mask = previous_mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            sizes = self.forward_layer.cell.state_size
            masks += [None] * (2 * (len(sizes) if isinstance(sizes, list) else 1))
        return masks if len(masks) > 1 else masks[0]

    def get_config(self):
        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialize(self.forward_layer),
            "backward_layer": serialize(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize(config.pop("layer"), custom_objects)
        backward = config.pop("backward_layer", None)
        backward = None if backward is None else deserialize(backward, custom_objects)
        return cls(layer, backward_layer=backward, **config)


class TimeDistributed(Layer):
    """Apply `layer` to every timestep of (batch, steps, ...): the steps ride in the batch axis."""

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(
                f'Layer "{self.name}": please initialize `TimeDistributed` with a layer. Received {layer!r}'
            )
        self.layer = layer
        self.supports_masking = True

    def _check_rank(self, shape):
        if len(shape) < 3:
            raise ValueError(
                f'Layer "{self.name}": `TimeDistributed` needs an input with at least 3 dimensions (batch, steps, '
                f"...). Received input shape {tuple(shape)}"
            )

    def build(self, input_shape):
        self._check_rank(input_shape)
        if not self.layer.built:
            self.layer._maybe_build((None, *input_shape[2:]))
            self.nest_weight_paths(self.layer)

    def call(self, inputs, training=False):
        self._check_rank(inputs.shape)
        batch, steps = inputs.shape[:2]
        outputs = self.layer(ops.reshape(inputs, (batch * steps, *inputs.shape[2:])), training=training)
        return ops.reshape(outputs, (batch, steps, *outputs.shape[1:]))

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape((None, *input_shape[2:]))
        return (input_shape[0], input_shape[1], *inner[1:])

    def get_config(self):
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        return cls(deserialize(config.pop("layer"), custom_objects), **config)
