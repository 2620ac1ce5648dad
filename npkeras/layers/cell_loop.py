"""Run any Keras-style RNN cell over a sequence, one step at a time, from differentiable ops.

A user-defined cell is a layer with a `state_size` (an int, or a list of ints: one per state) and a
`call(inputs, states)` that returns `(output, new_states)`; `output_size` and `get_initial_state(batch_size)` are
optional. npkeras's own cells (SimpleRNNCell, LSTMCell, GRUCell) keep their fused ops; this loop is for the rest.
"""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.ops.math import where
from npkeras.ops.shaping import stack


def state_sizes(layer_name, cell):
    """The cell's state sizes as a list of ints, or Keras's error naming the layer."""
    size = getattr(cell, "state_size", None)
    sizes = [size] if isinstance(size, (int, np.integer)) else size
    if not isinstance(sizes, (list, tuple)) or not all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in sizes
    ):
        raise ValueError(
            f'Layer "{layer_name}": state_size must be an integer, or a list/tuple of integers (one for each state '
            f"tensor). Received: cell.state_size={size!r}"
        )
    return [int(s) for s in sizes]


def output_size(cell, sizes):
    """The cell's output size: its `output_size`, else its first state's size, as in Keras."""
    size = getattr(cell, "output_size", None)
    return sizes[0] if size is None else int(size)


def initial_states(cell, sizes, batch, dtype):
    """The cell's own `get_initial_state(batch_size)` when it has one, else zeros of (batch, size) per state."""
    make = getattr(cell, "get_initial_state", None)
    if make is None:
        return [Tensor(np.zeros((batch, size), dtype=dtype)) for size in sizes]
    states = make(batch_size=batch)
    states = list(states) if isinstance(states, (list, tuple)) else [states]
    return [s if isinstance(s, Tensor) else Tensor(np.asarray(s, dtype=dtype)) for s in states]


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
            new_states = [where(keep, new, old) for new, old in zip(new_states, states)]
        outputs.append(output)
        previous, states = output, new_states
    return stack(outputs, axis=1), outputs[-1], states
