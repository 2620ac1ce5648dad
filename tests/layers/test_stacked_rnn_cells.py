"""StackedRNNCells and RNN([cells]): a deep RNN in one loop, equal to the fused layers stacked, with Keras's config."""

import json

import numpy as np
import pytest

import npkeras
from npkeras import layers
from tests.layers.random_weights import rand

# json.dumps(keras.layers.serialize(keras.layers.RNN([LSTMCell(4), GRUCell(3)], name="deep"))), Keras 3.15.1.
KERAS_STACKED = (
    '{"module": "keras.layers", "class_name": "RNN", "config": {"name": "deep", "trainable": true, '
    '"dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": '
    'null}, "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": '
    'false, "unroll": false, "zero_output_for_mask": false, "cell": {"module": "keras.layers", '
    '"class_name": "StackedRNNCells", "config": {"name": "stacked_rnn_cells", "trainable": true, '
    '"dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": '
    'null}, "cells": [{"module": "keras.layers", "class_name": "LSTMCell", "config": {"name": "lstm_cell", '
    '"trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": '
    '"float32"}, "registered_name": null}, "units": 4, "activation": "tanh", "recurrent_activation": '
    '"sigmoid", "use_bias": true, "unit_forget_bias": true, "kernel_initializer": {"module": "keras.initializers", '
    '"class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": '
    'null}, "registered_name": null}, "recurrent_initializer": {"module": "keras.initializers", '
    '"class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}, "registered_name": null}, '
    '"bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, '
    '"registered_name": null}, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": '
    'null, "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": '
    '0.0, "recurrent_dropout": 0.0, "seed": null}, "registered_name": null}, {"module": "keras.layers", '
    '"class_name": "GRUCell", "config": {"name": "gru_cell", "trainable": true, "dtype": {"module": '
    '"keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, '
    '"units": 3, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true, "kernel_initializer": '
    '{"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": '
    'null, "output_axes": null}, "registered_name": null}, "recurrent_initializer": {"module": '
    '"keras.initializers", "class_name": "Orthogonal", "config": {"seed": null, "gain": 1.0}, "registered_name": '
    'null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": '
    '{}, "registered_name": null}, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": '
    'null, "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": '
    '0.0, "recurrent_dropout": 0.0, "reset_after": true, "seed": null}, "registered_name": null}]}, '
    '"registered_name": null}}, "registered_name": null}'
)


def fused_twins(x, mask=None, **kwargs):
    """RNN([LSTMCell(4), GRUCell(3)]) and LSTM(4, return_sequences=True) -> GRU(3), with the same weights."""
    stacked = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)], **kwargs)
    lstm, gru = layers.LSTM(4, return_sequences=True), layers.GRU(3, **kwargs)
    stacked.build(x.shape)
    lstm.build(x.shape)
    gru.build((x.shape[0], x.shape[1], 4))
    weights = [rand(w.shape, i) * 0.5 for i, w in enumerate(stacked.get_weights())]
    stacked.set_weights(weights)
    lstm.set_weights(weights[:3])
    gru.set_weights(weights[3:])
    return stacked(x, mask=mask), gru(lstm(x, mask=mask), mask=mask)


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("kwargs", [{}, {"return_sequences": True}, {"go_backwards": True}], ids=str)
def test_a_stack_of_cells_equals_the_fused_layers_stacked(kwargs, masked):
    x = rand((3, 6, 2))
    mask = np.array([[1] * 6, [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=bool) if masked else None
    if kwargs.get("go_backwards"):  # the stack reads backwards once; the fused twin must reverse both layers
        stacked = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)], go_backwards=True)
        stacked.build(x.shape)
        weights = [rand(w.shape, i) * 0.5 for i, w in enumerate(stacked.get_weights())]
        stacked.set_weights(weights)
        lstm, gru = layers.LSTM(4, return_sequences=True, go_backwards=True), layers.GRU(3)
        lstm.build(x.shape)
        gru.build((3, 6, 4))
        lstm.set_weights(weights[:3])
        gru.set_weights(weights[3:])
        got = stacked(x, mask=mask)
        want = gru(lstm(x, mask=mask), mask=None if mask is None else mask[:, ::-1])
    else:
        got, want = fused_twins(x, mask, **kwargs)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-6)


def test_states_come_back_nested_per_cell_and_go_in_nested_or_flat():
    x = rand((2, 5, 2))
    layer = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)], return_state=True)
    output, lstm_states, gru_state = layer(x)
    assert [s.shape for s in lstm_states] == [(2, 4), (2, 4)] and gru_state.shape == (2, 3)
    assert layer.compute_output_shape((2, 5, 2)) == [(2, 3), [(2, 4), (2, 4)], (2, 3)]
    nested = layer(x, initial_state=[lstm_states, gru_state])
    flat = layer(x, initial_state=[*lstm_states, gru_state])
    np.testing.assert_allclose(np.asarray(nested[0]), np.asarray(flat[0]), rtol=1e-6)
    assert not np.allclose(np.asarray(nested[0]), np.asarray(output))  # the states were used
    with pytest.raises(ValueError, match='Layer "rnn.*" expects 3 initial state\\(s\\), but received 2'):
        layer(x, initial_state=list(lstm_states))


def test_weight_paths_parameter_count_and_keras_config():
    rnn = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)], name="deep")
    rnn.build((None, 5, 2))
    assert [w.path for w in rnn.weights][:2] == [
        "deep/stacked_rnn_cells/lstm_cell/kernel",
        "deep/stacked_rnn_cells/lstm_cell/recurrent_kernel",
    ]
    assert rnn.count_params() == 4 * 4 * (2 + 4 + 1) + 3 * 3 * (4 + 3) + 2 * 3 * 3  # Keras's counts
    keras_layer = layers.deserialize(json.loads(KERAS_STACKED))
    assert type(keras_layer.cell) is layers.StackedRNNCells
    assert [type(cell).__name__ for cell in keras_layer.cell.cells] == ["LSTMCell", "GRUCell"]
    assert json.dumps(layers.serialize(keras_layer)) == KERAS_STACKED


def test_a_stacked_model_trains_and_round_trips(tmp_path):
    inputs = layers.Input((5, 2))
    model = npkeras.Model(inputs, layers.Dense(1)(layers.RNN([layers.LSTMCell(6), layers.SimpleRNNCell(4)])(inputs)))
    x = rand((64, 5, 2))
    y = x.sum(axis=(1, 2))[:, None] * 0.3
    model.compile(optimizer=npkeras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    model.save(tmp_path / "stacked.keras")
    loaded = npkeras.models.load_model(tmp_path / "stacked.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_cells_without_the_protocol_are_refused():
    with pytest.raises(ValueError, match="All cells must have a `state_size` attribute"):
        layers.StackedRNNCells([layers.LSTMCell(2), layers.Dense(3)])
