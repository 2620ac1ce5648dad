"""SimpleRNNCell, LSTMCell and GRUCell: one step equals the layer on a one-step sequence; sizes and configs."""

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY
from random_weights import rand

from npkeras import layers

# (cell class, layer class, extra arguments, number of states)
KINDS = {
    "simple_rnn": (layers.SimpleRNNCell, layers.SimpleRNN, {}, 1),
    "lstm": (layers.LSTMCell, layers.LSTM, {}, 2),
    "gru": (layers.GRUCell, layers.GRU, {}, 1),
    "gru_reset_before": (layers.GRUCell, layers.GRU, {"reset_after": False}, 1),
}
# The cells' get_config in Keras 3.15 (keras/src/layers/rnn/{simple_rnn,lstm,gru}.py), in Keras's order
_COMMON = ["kernel_regularizer", "recurrent_regularizer", "bias_regularizer"]
_COMMON += ["kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout"]
_INITIALIZERS = ["kernel_initializer", "recurrent_initializer", "bias_initializer"]
KERAS_CELL_KEYS = {
    "simple_rnn": ["name", "trainable", "dtype", "units", "activation", "use_bias", *_INITIALIZERS, *_COMMON, "seed"],
    "lstm": [
        "name",
        "trainable",
        "dtype",
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "unit_forget_bias",
        *_INITIALIZERS,
        *_COMMON,
        "seed",
    ],
    "gru": [
        "name",
        "trainable",
        "dtype",
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        *_INITIALIZERS,
        *_COMMON,
        "reset_after",
        "seed",
    ],
}


def _cell_and_layer(kind, units=3, features=2, seed=0):
    """A built cell and a built layer with the same known random weights."""
    cell_class, layer_class, extra, _ = KINDS[kind]
    layer = layer_class(units, return_state=True, **extra)
    layer.build((None, 1, features))
    rng = np.random.default_rng(seed)
    layer.set_weights([(rng.standard_normal(w.shape) * 0.6).astype(np.float32) for w in layer.weights])
    cell = cell_class(units, **extra)
    cell.build((None, features))
    cell.set_weights(layer.get_weights())
    return cell, layer


@pytest.mark.parametrize("kind", list(KINDS))
def test_one_step_equals_the_layer_on_a_one_step_sequence(kind):
    cell, layer = _cell_and_layer(kind)
    n_states = KINDS[kind][3]
    x_t = rand((4, 2), seed=1)
    states = [rand((4, 3), seed=2 + i) for i in range(n_states)]
    output, new_states = cell(x_t, states)
    want_output, *want_states = layer(x_t[:, None], initial_state=states)
    assert output.shape == (4, 3)
    assert len(new_states) == n_states
    np.testing.assert_allclose(np.asarray(output), np.asarray(want_output), rtol=1e-6, atol=1e-7)
    for got, want in zip(new_states, want_states):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(np.asarray(new_states[0]), np.asarray(output))  # the output is h_t


def test_simple_rnn_cell_step_by_hand():
    cell, _ = _cell_and_layer("simple_rnn")
    kernel, recurrent, bias = cell.get_weights()
    x_t, h = rand((4, 2), seed=1), rand((4, 3), seed=2)
    output, (h_new,) = cell(x_t, [h])
    np.testing.assert_allclose(np.asarray(output), np.tanh(x_t @ kernel + h @ recurrent + bias), rtol=1e-5, atol=1e-6)


def test_lstm_cell_step_by_hand():
    cell, _ = _cell_and_layer("lstm", seed=3)
    kernel, recurrent, bias = (w.astype(np.float64) for w in cell.get_weights())
    x_t, h, c = rand((4, 2), seed=1), rand((4, 3), seed=2), rand((4, 3), seed=3)
    i, f, g, o = np.split(x_t @ kernel + h @ recurrent + bias, 4, axis=1)

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h_new = sigmoid(o) * np.tanh(c_new)
    output, (got_h, got_c) = cell(x_t, [h, c])
    np.testing.assert_allclose(np.asarray(got_c), c_new, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(got_h), h_new, rtol=1e-5, atol=1e-6)


def test_cell_runs_a_sequence_step_by_step_like_the_layer():
    cell, layer = _cell_and_layer("gru", seed=4)
    x = rand((2, 5, 2), seed=6)
    states = [np.zeros((2, 3), np.float32)]
    for t in range(5):
        _, states = cell(x[:, t], states)
    want, _ = layer(x)
    np.testing.assert_allclose(np.asarray(states[0]), np.asarray(want), rtol=1e-5, atol=1e-6)


def test_state_and_output_sizes():
    assert layers.SimpleRNNCell(5).state_size == 5
    assert layers.LSTMCell(5).state_size == [5, 5]
    assert layers.GRUCell(5).state_size == 5
    for cell in (layers.SimpleRNNCell(5), layers.LSTMCell(5), layers.GRUCell(5)):
        assert cell.output_size == 5


@pytest.mark.parametrize(
    "cell, shapes",
    [
        (lambda: layers.SimpleRNNCell(3), [(4, 3), (3, 3), (3,)]),
        (lambda: layers.LSTMCell(3), [(4, 12), (3, 12), (12,)]),
        (lambda: layers.GRUCell(3), [(4, 9), (3, 9), (2, 9)]),
        (lambda: layers.GRUCell(3, reset_after=False, use_bias=False), [(4, 9), (3, 9)]),
    ],
)
def test_cell_weights(cell, shapes):
    cell = cell()
    cell.build((None, 4))
    assert [w.shape for w in cell.weights] == shapes
    assert [w.name for w in cell.weights] == ["kernel", "recurrent_kernel", "bias"][: len(shapes)]


@pytest.mark.parametrize("kind", ["simple_rnn", "gru"])
def test_cell_get_config_keys_match_keras(kind):
    cell = KINDS[kind][0](4)
    config = cell.get_config()
    assert list(config) == KERAS_CELL_KEYS[kind]
    assert config["dtype"] == FLOAT32_POLICY and config["units"] == 4


def test_lstm_cell_get_config_keys_match_keras():
    assert list(layers.LSTMCell(4).get_config()) == KERAS_CELL_KEYS["lstm"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_cell_from_config_round_trip(kind):
    cell, _ = _cell_and_layer(kind)
    config = cell.get_config()
    clone = type(cell).from_config(config)
    assert clone.get_config() == config
    clone.build((None, 2))
    clone.set_weights(cell.get_weights())
    x_t = rand((2, 2))
    states = [rand((2, 3), seed=1)] * KINDS[kind][3]
    np.testing.assert_array_equal(np.asarray(clone(x_t, states)[0]), np.asarray(cell(x_t, states)[0]))


def test_cell_dropout_applies_in_training():
    cell = layers.LSTMCell(3, dropout=0.5, seed=0)
    x_t, states = rand((8, 4)), [np.zeros((8, 3), np.float32)] * 2
    inference = np.asarray(cell(x_t, states)[0])
    assert not np.allclose(np.asarray(cell(x_t, states, training=True)[0]), inference)
