"""StackedRNNCells: a list of RNN cells run as one cell, each step's output feeding the next cell (Keras's)."""

from npkeras.layers.layer import Layer


class StackedRNNCells(Layer):
    """`RNN(StackedRNNCells([cell_1, cell_2]))`, or `RNN([cell_1, cell_2])`: a deep RNN in one loop over the steps."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(f"All cells must have a `call` method. Received cell without a `call` method: {cell}")
            if getattr(cell, "state_size", None) is None:
                raise ValueError(
                    f"All cells must have a `state_size` attribute. Received cell without a `state_size`: {cell}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def build(self, input_shape):
        batch = input_shape[0]
        for cell in self.cells:
            if not cell.built:
                cell._maybe_build(tuple(input_shape))
                self.nest_weight_paths(cell)
            input_shape = (batch, _output_size(cell))

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = isinstance(cell_states, (list, tuple))
            kwargs = {"training": training} if cell._call_takes_training else {}
            inputs, cell_states = cell(inputs, list(cell_states) if nested else [cell_states], **kwargs)
            cell_states = list(cell_states) if isinstance(cell_states, (list, tuple)) else [cell_states]
            new_states.append(cell_states if nested or len(cell_states) > 1 else cell_states[0])
        return inputs, new_states

    def get_config(self):
        from npkeras.layers.serialization import serialize

        return {**super().get_config(), "cells": [serialize(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from npkeras.layers.serialization import deserialize

        cells = [deserialize(cell, custom_objects) for cell in config["cells"]]
        return cls(cells, **{key: value for key, value in config.items() if key != "cells"})


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state = cell.state_size
    return state[0] if isinstance(state, (list, tuple)) else state
