"""SimpleRNN, LSTM, GRU and RNN: shapes, weights, configs as in Keras 3.15, masks, states, dropout, errors.

The values and gradients of the layers against Keras-TensorFlow are in test_keras_rnn_reference.py and the fused
ops' gradients in tests/ops/test_rnn_cells.py; this file checks what the layers add on top of the ops.
"""

import math

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY, GLOROT_UNIFORM, ZEROS
from random_weights import built, rand

import npkeras
from npkeras import gradient_check, initializers, layers

CLASSES = {"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}
STATE_COUNT = {"simple_rnn": 1, "lstm": 2, "gru": 1}
GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}
ORTHOGONAL = {
    "module": "keras.initializers",
    "class_name": "Orthogonal",
    "config": {"seed": None, "gain": 1.0},
    "registered_name": None,
}
# LSTM(128).get_config() in Keras 3.15 (keras/src/layers/rnn/lstm.py), in Keras's order
KERAS_LSTM_KEYS = [
    "name",
    "trainable",
    "dtype",
    "return_sequences",
    "return_state",
    "go_backwards",
    "stateful",
    "unroll",
    "zero_output_for_mask",
    "units",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
]
KERAS_GRU_KEYS = [k for k in KERAS_LSTM_KEYS if k not in ("unit_forget_bias", "seed")] + ["reset_after", "seed"]
# Keras 3.15's SimpleRNN.get_config writes no "seed" (keras/src/layers/rnn/simple_rnn.py, SimpleRNN.get_config)
KERAS_SIMPLE_RNN_KEYS = [k for k in KERAS_LSTM_KEYS if k not in ("recurrent_activation", "unit_forget_bias", "seed")]


def _mask():
    mask = np.ones((3, 5), bool)
    mask[0, 3:] = False  # right padding
    mask[1, :2] = False  # left padding
    return mask


# ---- shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CLASSES))
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("return_state", [False, True])
def test_output_shapes(kind, return_sequences, return_state):
    layer = CLASSES[kind](4, return_sequences=return_sequences, return_state=return_state)
    out = layer(rand((3, 5, 2)))
    main = (3, 5, 4) if return_sequences else (3, 4)
    expected = [main] + [(3, 4)] * STATE_COUNT[kind] if return_state else main
    shapes = [o.shape for o in out] if return_state else out.shape
    assert shapes == expected
    symbolic = layer.compute_output_shape((None, 5, 2))
    assert symbolic == ([(None, *main[1:])] + [(None, 4)] * STATE_COUNT[kind] if return_state else (None, *main[1:]))


@pytest.mark.parametrize("kind", list(CLASSES))
def test_returned_states_are_the_last_output_and_cell_state(kind):
    layer = built(CLASSES[kind](3, return_sequences=True, return_state=True), (2, 4, 2))
    seq, *states = layer(rand((2, 4, 2)))
    np.testing.assert_array_equal(np.asarray(states[0]), np.asarray(seq)[:, -1])  # h_T is the last output
    if kind == "lstm":
        c = np.asarray(states[1])
        assert not np.allclose(c, np.asarray(states[0]))
        o_gate_times_tanh_c = np.asarray(states[0]) / np.tanh(c)  # h = o * tanh(c), o in (0, 1)
        assert np.all((o_gate_times_tanh_c > 0) & (o_gate_times_tanh_c < 1))


def test_float64_inputs_run_in_the_layer_dtype():
    layer = layers.GRU(2)
    out = layer(rand((2, 3, 4)).astype(np.float64))
    assert out.dtype == np.float32 and layer.cell.kernel.dtype == np.float32


# ---- weights ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layer, features, count",
    [
        (lambda: layers.LSTM(128), 64, 98_816),  # 4 * 128 * (64 + 128 + 1)
        (lambda: layers.GRU(4), 4, 120),  # 3 * 4 * (4 + 4) + 2 * 12
        (lambda: layers.GRU(4, reset_after=False), 4, 108),  # 3 * 4 * (4 + 4 + 1)
        (lambda: layers.SimpleRNN(3), 4, 24),  # 3 * (4 + 3 + 1)
        (lambda: layers.LSTM(3, use_bias=False), 2, 4 * 3 * (2 + 3)),
    ],
)
def test_count_params(layer, features, count):
    layer = layer()
    layer.build((None, 7, features))
    assert layer.count_params() == count


@pytest.mark.parametrize(
    "layer, shapes",
    [
        (lambda: layers.LSTM(3), [(5, 12), (3, 12), (12,)]),
        (lambda: layers.GRU(3), [(5, 9), (3, 9), (2, 9)]),
        (lambda: layers.GRU(3, reset_after=False), [(5, 9), (3, 9), (9,)]),
        (lambda: layers.SimpleRNN(3), [(5, 3), (3, 3), (3,)]),
        (lambda: layers.SimpleRNN(3, use_bias=False), [(5, 3), (3, 3)]),
    ],
)
def test_weight_names_shapes_and_order(layer, shapes):
    layer = layer()
    layer(rand((2, 4, 5)))
    names = ["kernel", "recurrent_kernel", "bias"][: len(shapes)]
    assert [w.name for w in layer.weights] == names
    assert [w.shape for w in layer.weights] == shapes
    cell = layer.cell
    assert [w is c for w, c in zip(layer.weights, [cell.kernel, cell.recurrent_kernel, cell.bias])] == [True] * len(
        shapes
    )
    assert [w.name for w in layer.trainable_weights] == names
    assert [w.shape for w in layer.get_weights()] == shapes


def test_weight_paths_include_the_layer_name():
    first, second = layers.LSTM(2), layers.LSTM(2)
    first(rand((1, 2, 3)))
    second(rand((1, 2, 3)))
    assert [w.path for w in first.weights] == [
        "lstm/lstm_cell/kernel",
        "lstm/lstm_cell/recurrent_kernel",
        "lstm/lstm_cell/bias",
    ]
    assert len({w.path for w in first.weights + second.weights}) == 6


def test_unit_forget_bias_starts_the_forget_gate_at_one():
    layer = layers.LSTM(4)
    layer.build((None, 3, 2))
    bias = np.asarray(layer.cell.bias)
    np.testing.assert_array_equal(bias[4:8], 1.0)
    np.testing.assert_array_equal(np.delete(bias, np.s_[4:8]), 0.0)
    without = layers.LSTM(4, unit_forget_bias=False)
    without.build((None, 3, 2))
    np.testing.assert_array_equal(np.asarray(without.cell.bias), np.zeros(16))


def test_unit_forget_bias_keeps_the_bias_initializer_for_the_other_gates():
    layer = layers.LSTM(2, bias_initializer=initializers.Constant(0.25))
    layer.build((None, 3, 2))
    np.testing.assert_array_equal(np.asarray(layer.cell.bias), [0.25, 0.25, 1, 1, 0.25, 0.25, 0.25, 0.25])


@pytest.mark.parametrize("kind", list(CLASSES))
def test_default_initializers(kind):
    units, features, gates = 5, 7, GATES[kind]
    layer = CLASSES[kind](units)
    layer.build((None, 3, features))
    recurrent = np.asarray(layer.cell.recurrent_kernel, dtype=np.float64)
    assert recurrent.shape == (units, gates * units)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(units), atol=1e-5)  # orthonormal rows
    kernel = np.asarray(layer.cell.kernel)
    limit = math.sqrt(6 / (features + gates * units))  # glorot_uniform over (features, gates * units)
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.5 * limit
    if kind != "lstm":
        np.testing.assert_array_equal(np.asarray(layer.cell.bias), 0.0)


# ---- config -----------------------------------------------------------------------------


def test_lstm_get_config_keys_and_values_match_keras():
    config = layers.LSTM(128).get_config()
    assert list(config) == KERAS_LSTM_KEYS
    expected = {
        "name": "lstm",
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "return_sequences": False,
        "return_state": False,
        "go_backwards": False,
        "stateful": False,
        "unroll": False,
        "zero_output_for_mask": False,
        "units": 128,
        "activation": "tanh",
        "recurrent_activation": "sigmoid",
        "use_bias": True,
        "kernel_initializer": GLOROT_UNIFORM,
        "recurrent_initializer": ORTHOGONAL,
        "bias_initializer": ZEROS,
        "unit_forget_bias": True,
        "kernel_regularizer": None,
        "recurrent_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "recurrent_constraint": None,
        "bias_constraint": None,
        "dropout": 0.0,
        "recurrent_dropout": 0.0,
        "seed": None,
    }
    assert config == expected


def test_gru_get_config_keys_match_keras():
    config = layers.GRU(4).get_config()
    assert list(config) == KERAS_GRU_KEYS
    assert config["reset_after"] is True
    assert layers.GRU(4, reset_after=False).get_config()["reset_after"] is False


def test_simple_rnn_get_config_keys_match_keras():
    assert list(layers.SimpleRNN(3).get_config()) == KERAS_SIMPLE_RNN_KEYS


def test_simple_rnn_get_config_has_no_gate_options():
    config = layers.SimpleRNN(3).get_config()
    assert [k for k in config if k not in KERAS_SIMPLE_RNN_KEYS] in ([], ["seed"])
    assert not {"recurrent_activation", "unit_forget_bias", "reset_after"} & set(config)


@pytest.mark.parametrize(
    "kind, kwargs",
    [
        ("lstm", {"return_sequences": True, "go_backwards": True, "unit_forget_bias": False, "dropout": 0.25}),
        ("gru", {"reset_after": False, "activation": "relu", "recurrent_activation": "hard_sigmoid"}),
        ("simple_rnn", {"use_bias": False, "return_state": True, "kernel_initializer": initializers.HeNormal(seed=3)}),
    ],
)
def test_from_config_round_trip_gives_equal_outputs(kind, kwargs):
    layer = built(CLASSES[kind](3, name="seq", **kwargs), (2, 4, 2))
    config = layer.get_config()
    clone = CLASSES[kind].from_config(config)
    assert clone.get_config() == config
    clone.build((2, 4, 2))
    clone.set_weights(layer.get_weights())
    x = rand((2, 4, 2), seed=5)
    got, want = clone(x), layer(x)
    got, want = (got, want) if isinstance(got, list) else ([got], [want])
    for g, w in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def test_from_keras_config_dict():
    config = layers.LSTM(8, return_sequences=True, name="encoder").get_config()
    layer = layers.LSTM.from_config(config)
    assert (layer.name, layer.units, layer.return_sequences) == ("encoder", 8, True)
    assert layer.cell.name == "lstm_cell"
    assert layer(rand((1, 3, 2))).shape == (1, 3, 8)


def test_cell_options_are_readable_from_the_layer():
    lstm = layers.LSTM(7, dropout=0.2, recurrent_dropout=0.1, unit_forget_bias=False, use_bias=False)
    assert (lstm.units, lstm.dropout, lstm.recurrent_dropout) == (7, 0.2, 0.1)
    assert lstm.unit_forget_bias is False and lstm.use_bias is False
    assert lstm.activation is npkeras.activations.tanh
    assert lstm.recurrent_activation is npkeras.activations.sigmoid
    assert layers.GRU(2, reset_after=False).reset_after is False
    with pytest.raises(AttributeError, match="no attribute 'not_an_option'"):
        getattr(lstm, "not_an_option")  # noqa: B009


# ---- the generic RNN --------------------------------------------------------------------


def test_rnn_of_a_cell_equals_the_layer():
    x = rand((2, 4, 3))
    lstm = built(layers.LSTM(3, return_sequences=True), x.shape)
    rnn = layers.RNN(layers.LSTMCell(3), return_sequences=True)
    rnn.build(x.shape)
    rnn.set_weights(lstm.get_weights())
    np.testing.assert_array_equal(np.asarray(rnn(x)), np.asarray(lstm(x)))
    config = rnn.get_config()
    assert list(config) == [*KERAS_LSTM_KEYS[:9], "cell"]
    assert config["cell"]["class_name"] == "LSTMCell"
    clone = layers.RNN.from_config(config)
    clone.build(x.shape)
    clone.set_weights(rnn.get_weights())
    np.testing.assert_array_equal(np.asarray(clone(x)), np.asarray(rnn(x)))


def test_rnn_refuses_a_layer_that_is_not_a_cell():
    with pytest.raises(ValueError, match="my_rnn"):
        layers.RNN(layers.Dense(3), name="my_rnn")


# ---- masks ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CLASSES))
def test_mask_equals_running_each_sample_on_its_unmasked_steps(kind):
    """A right-padded sample's last output is the layer's output on the sample cut to its length."""
    x = rand((3, 5, 2))
    layer = built(CLASSES[kind](3), x.shape)
    lengths = [3, 5, 1]
    mask = np.arange(5)[None] < np.array(lengths)[:, None]
    out = np.asarray(layer(x, mask=mask))
    for i, n in enumerate(lengths):
        np.testing.assert_allclose(out[i], np.asarray(layer(x[i : i + 1, :n]))[0], rtol=1e-5, atol=1e-6)


def test_an_all_true_mask_changes_nothing():
    x = rand((3, 5, 2))
    layer = built(layers.GRU(3, return_sequences=True), x.shape)
    np.testing.assert_array_equal(np.asarray(layer(x, mask=np.ones((3, 5), bool))), np.asarray(layer(x)))


def test_return_sequences_output_carries_the_mask():
    x, mask = rand((3, 5, 2)), _mask()
    seq = layers.LSTM(3, return_sequences=True)(x, mask=mask)
    np.testing.assert_array_equal(seq._keras_mask, mask)
    assert layers.LSTM(3)(x, mask=mask)._keras_mask is None
    seq, h, c = layers.LSTM(3, return_sequences=True, return_state=True)(x, mask=mask)
    np.testing.assert_array_equal(seq._keras_mask, mask)
    assert h._keras_mask is None and c._keras_mask is None


def test_embedding_mask_flows_into_lstm_in_a_sequential():
    ids = np.array([[3, 5, 1, 0, 0], [2, 0, 0, 0, 0], [4, 4, 6, 7, 1], [0, 0, 2, 3, 0]])
    model = npkeras.Sequential([layers.Embedding(8, 4, mask_zero=True), layers.LSTM(3)])
    out = np.asarray(model(ids))
    embedding, lstm = model.layers
    explicit = np.asarray(lstm(embedding(ids), mask=ids != 0))
    np.testing.assert_array_equal(out, explicit)
    unmasked = np.asarray(lstm(np.asarray(embedding(ids))))
    assert not np.allclose(out[[0, 1, 3]], unmasked[[0, 1, 3]])  # padded rows differ without the mask
    np.testing.assert_array_equal(out[2], unmasked[2])  # the row without padding does not


def test_masked_sequence_loss_averages_over_unmasked_steps():
    ids = np.array([[3, 5, 1, 0, 0], [2, 0, 0, 0, 0], [4, 4, 6, 7, 1], [0, 6, 2, 3, 0]])
    labels = np.random.default_rng(4).integers(0, 3, size=ids.shape)
    model = npkeras.Sequential(
        [
            layers.Embedding(8, 4, mask_zero=True),
            layers.LSTM(5, return_sequences=True),
            layers.TimeDistributed(layers.Dense(3, activation="softmax")),
        ]
    )
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.build((None, 5))
    rng = np.random.default_rng(5)
    model.set_weights([(rng.standard_normal(w.shape) * 1.5).astype(np.float32) for w in model.weights])
    probs = model.predict(ids, verbose=0)
    step_ce = -np.log(np.take_along_axis(probs, labels[..., None], axis=-1)[..., 0])
    mask = ids != 0
    loss = model.evaluate(ids, labels, batch_size=len(ids), verbose=0)
    np.testing.assert_allclose(loss, step_ce[mask].mean(), rtol=1e-5)
    assert abs(loss - step_ce.mean()) > 1e-2  # the padded steps are left out, not averaged in
    assert model(ids)._keras_mask is not None


# ---- initial states, statefulness -------------------------------------------------------


@pytest.mark.parametrize("kind", list(CLASSES))
def test_initial_state_is_the_state_of_the_first_step(kind):
    """Running steps 2.. from the states after steps 0..1 equals running the whole sequence."""
    x = rand((2, 5, 3))
    layer = built(CLASSES[kind](4, return_state=True), x.shape)
    _, *states = layer(x[:, :2])
    out, *final = layer(x[:, 2:], initial_state=states)
    whole, *whole_final = layer(x)
    np.testing.assert_allclose(np.asarray(out), np.asarray(whole), rtol=1e-5, atol=1e-6)
    for got, want in zip(final, whole_final):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-6)


def test_wrong_initial_state_count_names_the_layer():
    layer = layers.LSTM(4, name="enc")
    x = rand((2, 5, 3))
    with pytest.raises(ValueError, match="enc") as info:
        layer(x, initial_state=[np.zeros((2, 4), np.float32)])
    assert "2 initial state" in str(info.value)
    with pytest.raises(ValueError, match="enc"):
        layers.GRU(4, name="enc_gru")(x, initial_state=[np.zeros((2, 4))] * 2)


@pytest.mark.parametrize("shape", [(2, 3), (3, 4), (2,)])
def test_wrong_initial_state_shape_names_the_layer(shape):
    layer = layers.GRU(4, name="enc")
    with pytest.raises(ValueError, match="enc") as info:
        layer(rand((2, 5, 3)), initial_state=[np.zeros(shape, np.float32)])
    assert "(2, 4)" in str(info.value)


@pytest.mark.parametrize("kind", list(CLASSES))
def test_stateful_carries_states_between_calls(kind):
    x = rand((2, 6, 3))
    layer = built(CLASSES[kind](4, stateful=True, return_sequences=True), x.shape)
    reference = built(CLASSES[kind](4, return_sequences=True), x.shape)
    reference.set_weights(layer.get_weights())
    first, second = np.asarray(layer(x[:, :2])), np.asarray(layer(x[:, 2:]))
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), np.asarray(reference(x)), rtol=1e-5, atol=1e-6)
    assert layer.states is not None and len(layer.states) == STATE_COUNT[kind]
    layer.reset_states()
    assert layer.states is None
    np.testing.assert_array_equal(np.asarray(layer(x[:, 2:])), np.asarray(reference(x[:, 2:])))


def test_without_stateful_calls_are_independent():
    x = rand((2, 4, 3))
    layer = built(layers.LSTM(4), x.shape)
    first = np.asarray(layer(x))
    np.testing.assert_array_equal(np.asarray(layer(x)), first)
    assert layer.states is None


# ---- dropout ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CLASSES))
@pytest.mark.parametrize("rates", [{"dropout": 0.5}, {"recurrent_dropout": 0.5}])
def test_dropout_changes_training_outputs_only(kind, rates):
    x = rand((4, 5, 3))
    layer = built(CLASSES[kind](4, seed=1, **rates), x.shape)
    plain = built(CLASSES[kind](4), x.shape)
    plain.set_weights(layer.get_weights())
    inference = np.asarray(layer(x))
    np.testing.assert_array_equal(inference, np.asarray(plain(x)))
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), inference)
    trained = np.asarray(layer(x, training=True))
    assert trained.shape == inference.shape and np.all(np.isfinite(trained))
    assert not np.allclose(trained, inference)


def test_input_dropout_is_one_mask_per_sequence():
    """As Keras's fused path: each sample's input features are dropped (and rescaled) alike at every step."""
    x = rand((3, 5, 2))
    layer = built(layers.SimpleRNN(3, dropout=0.5, seed=7), x.shape)
    trained = np.asarray(layer(x, training=True))
    candidates = [np.array(keep, np.float32) * 2 for keep in np.ndindex(2, 2)]  # keep/(1 - rate) per feature
    for i in range(3):
        outs = [np.asarray(layer(x[i : i + 1] * keep))[0] for keep in candidates]
        assert any(np.allclose(trained[i], o, rtol=1e-5, atol=1e-6) for o in outs)


@pytest.mark.parametrize("argument", ["dropout", "recurrent_dropout"])
@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5])
def test_invalid_dropout_rates_are_refused(argument, value):
    with pytest.raises(ValueError, match=argument):
        layers.LSTM(3, **{argument: value})


# ---- gradients --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CLASSES))
def test_gradient_check_of_a_masked_backwards_layer_call(float64, kind):
    layer = built(CLASSES[kind](3, return_sequences=True, go_backwards=True, dropout=0.3), (3, 5, 2), seed=2)
    assert layer.cell.kernel.dtype == np.float64
    mask = _mask()
    x = np.random.default_rng(3).standard_normal((3, 5, 2))
    assert gradient_check(lambda t: layer(t, mask=mask, training=False), x, rtol=1e-4, atol=1e-6)


def test_gradient_check_of_lstm_through_its_returned_states(float64):
    layer = built(layers.LSTM(2, return_state=True), (2, 4, 3), seed=4)
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    x = np.random.default_rng(5).standard_normal((2, 4, 3))
    assert gradient_check(lambda t: layer(t, mask=mask)[2], x, rtol=1e-4, atol=1e-6)  # the cell state c_T


# ---- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CLASSES))
def test_rank2_input_is_refused_naming_the_layer(kind):
    layer = CLASSES[kind](3, name="recurrent")
    with pytest.raises(ValueError, match="recurrent") as info:
        layer(rand((2, 4)))
    assert "expected ndim=3" in str(info.value)
    layer(rand((2, 5, 4)))  # after building, too
    with pytest.raises(ValueError, match="recurrent") as info:
        layer(rand((2, 4)))
    assert "expected ndim=3" in str(info.value)


def test_wrong_feature_count_after_build_names_the_layer():
    layer = layers.LSTM(3, name="encoder")
    layer(rand((2, 5, 4)))
    with pytest.raises(ValueError, match="encoder") as info:
        layer(rand((2, 5, 6)))
    assert "expected axis -1 of input shape to have value 4" in str(info.value)
    assert "(2, 5, 6)" in str(info.value)


@pytest.mark.parametrize("shape", [(3, 4), (2, 5), (3, 5, 1)])
def test_bad_mask_shape_names_the_layer(shape):
    layer = layers.GRU(3, name="encoder")
    with pytest.raises(ValueError, match="encoder") as info:
        layer(rand((3, 5, 2)), mask=np.ones(shape, bool))
    assert "(3, 5)" in str(info.value)


@pytest.mark.parametrize("units", [0, -1, 2.5, "3", None, True])
def test_invalid_units(units):
    with pytest.raises(ValueError, match="units"):
        layers.LSTM(units)


def test_activation_outside_the_fused_set_is_refused_at_construction():
    with pytest.raises(ValueError, match='Layer "encoder".*`activation`') as info:
        layers.LSTM(3, activation="gelu", name="encoder")
    assert "tanh" in str(info.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.LSTM(3, activation="gelu", name="encoder")(rand((2, 4, 3))),
        lambda: layers.GRU(3, recurrent_activation="gelu", name="encoder")(rand((2, 4, 3))),
        lambda: layers.LSTM(3, dropout=1.5, name="encoder"),
    ],
    ids=["activation", "recurrent_activation", "dropout"],
)
def test_cell_option_errors_name_the_layer(make):
    with pytest.raises(ValueError, match='"encoder"'):
        make()


def test_nested_inputs_get_an_error_naming_them_rather_than_a_rank():
    rnn = layers.RNN(layers.SimpleRNNCell(2), name="rnn_nested")
    inputs = (npkeras.Input((None, 3)), npkeras.Input((None, 4, 5)))
    with pytest.raises(ValueError, match=r'"rnn_nested" takes one sequence tensor .* does not take nested inputs'):
        rnn(inputs)
