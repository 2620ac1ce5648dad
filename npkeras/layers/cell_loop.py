"""Run any Keras-style RNN cell over a sequence, one step at a time, from differentiable ops.

A user-defined cell is a layer with a `state_size` (an int, or a list with an int per state; a list entry may
itself be a list, as StackedRNNCells' are) and a `call(inputs, states)` that returns `(output, new_states)`;
`output_size` and `get_initial_state(batch_size)` are optional. npkeras's own cells (SimpleRNNCell, LSTMCell,
GRUCell) keep their fused ops when an RNN runs them alone; this loop is for the rest.
"""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.layers.symbolic import flatten, map_structure
from npkeras.ops.math import where
from npkeras.ops.shaping import stack


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def state_sizes(layer_name, cell):
    """The cell's state sizes as a list (an int per state, or a list of ints), or Keras's error naming the layer."""
    size = getattr(cell, "state_size", None)
    sizes = [size] if _is_int(size) else size
    if not isinstance(sizes, (list, tuple)) or not all(
        _is_int(s) or (isinstance(s, (list, tuple)) and all(_is_int(t) for t in s)) for s in sizes
    ):
        raise ValueError(
            f'Layer "{layer_name}": state_size must be an integer, or a list/tuple of integers (one for each state '
            f"tensor). Received: cell.state_size={size!r}"
        )
    return [int(s) if _is_int(s) else [int(t) for t in s] for s in sizes]


def output_size(cell, sizes):
    """The cell's output size: its `output_size`, else its first state's size, as in Keras."""
    size = getattr(cell, "output_size", None)
    return flatten(sizes)[0] if size is None else int(size)


def pack_as(structure, flat):
    """The items of `flat`, in order, nested as `structure` is."""
    items = iter(flat)
    return map_structure(lambda _: next(items), structure)


def initial_states(cell, sizes, batch, dtype):
    """The cell's own `get_initial_state(batch_size)` when it has one, else zeros of (batch, size) per state."""
    make = getattr(cell, "get_initial_state", None)
    if make is None:
        return map_structure(lambda size: Tensor(np.zeros((batch, size), dtype=dtype)), sizes)
    states = make(batch_size=batch)
    states = list(states) if isinstance(states, (list, tuple)) else [states]
    return map_structure(lambda s: s if isinstance(s, Tensor) else Tensor(np.asarray(s, dtype=dtype)), states)


def run_cell(cell, sequences, states, mask, training, go_backwards, zero_output_for_mask):
    """(all outputs stacked on axis 1, the last output, the final states) of `cell` over `sequences`.

    The cell gets its states as a list, one state or several, as Keras passes them. Masked steps keep the previous
    output (zeros when `zero_output_for_mask`) and the previous states, and `go_backwards` reads the steps last to
    first, its outputs in reading order: Keras's `backend.rnn`.
    """
    steps = sequences.shape[1]
    kwargs = {"training": training} if cell._call_takes_training else {}
    previous = None
    outputs = []
    for t in reversed(range(steps)) if go_backwards else range(steps):
        output, new_states = cell(sequences[:, t], states, **kwargs)
        new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]
        if mask is not None:
            keep = Tensor(mask[:, t : t + 1])
            if previous is None or zero_output_for_mask:
                previous = Tensor(np.zeros(output.shape, dtype=output.dtype))
            output = where(keep, output, previous)
            kept = [where(keep, new, old) for new, old in zip(flatten(new_states), flatten(states))]
            new_states = pack_as(new_states, kept)
        outputs.append(output)
        previous, states = output, new_states
    return stack(outputs, axis=1), outputs[-1], states
