"""Functional models: graphs of layer calls, shared layers, nested models, several inputs and outputs, configs."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.autograd import gradient_check

RNG = np.random.default_rng(0)


def residual_block(x, filters):
    """conv-BN-relu-conv-BN plus the input: ResNet's basic block."""
    y = layers.Conv2D(filters, 3, padding="same")(x)
    y = layers.BatchNormalization()(y)
    y = layers.Activation("relu")(y)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    y = layers.BatchNormalization()(y)
    return layers.Activation("relu")(layers.Add()([x, y]))


def test_a_chain_equals_the_same_sequential():
    inputs = npkeras.Input((8,))
    dense1, dense2 = layers.Dense(5, activation="relu"), layers.Dense(3, activation="softmax")
    model = npkeras.Model(inputs, dense2(dense1(inputs)), name="chain")
    assert type(model).__name__ == "Functional" and model.name == "chain"
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense", "Dense"]
    x = RNG.standard_normal((6, 8)).astype(np.float32)
    expected = np.asarray(dense2(dense1(x)))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
    assert model.get_layer(dense1.name) is dense1
    assert model.count_params() == 8 * 5 + 5 + 5 * 3 + 3
    assert model.input_shape == (None, 8) and model.output_shape == (None, 3)


def test_residual_block_gradients_in_training_and_inference(float64):
    inputs = npkeras.Input((5, 5, 2))
    model = npkeras.Model(inputs, residual_block(inputs, 2))
    x = RNG.standard_normal((2, 5, 5, 2))
    for training in (True, False):
        assert gradient_check(lambda t, tr=training: model(t, training=tr), x, rtol=1e-4, atol=1e-5)
    assert len(model.trainable_weights) == 8  # two convolutions (kernel, bias), two batch norms (gamma, beta)


def test_a_shared_layer_gets_both_gradients(float64):
    a, b = npkeras.Input((3,)), npkeras.Input((3,))
    shared = layers.Dense(2)
    model = npkeras.Model([a, b], layers.Subtract()([shared(a), shared(b)]))
    assert sum(layer is shared for layer in model.layers) == 1 and len(shared._inbound_nodes) == 2
    xa, xb = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    assert gradient_check(lambda s, t: model([s, t]), xa, xb)
    np.testing.assert_allclose(np.asarray(model([xa, xb])), (xa - xb) @ np.asarray(shared.kernel.data), rtol=1e-6)


def test_a_model_used_as_a_layer(float64):
    inner_in = npkeras.Input((4,))
    inner = npkeras.Model(inner_in, layers.Dense(3, activation="tanh")(inner_in), name="inner")
    outer_in = npkeras.Input((4,))
    outer = npkeras.Model(outer_in, layers.Dense(2)(inner(outer_in)))
    assert inner in outer.layers and outer.count_params() == inner.count_params() + 3 * 2 + 2
    x = RNG.standard_normal((5, 4))
    assert gradient_check(lambda t: outer(t), x)
    sequential = npkeras.Sequential([npkeras.Input((4,)), inner, layers.Dense(1)])
    assert sequential.predict(x, verbose=0).shape == (5, 1)


def test_several_inputs_train_from_a_list_or_a_dict():
    a, b = npkeras.Input((4,), name="a"), npkeras.Input((3,), name="b")
    h = layers.Concatenate()([layers.Dense(8, activation="relu")(a), b])
    model = npkeras.Model({"a": a, "b": b}, layers.Dense(2, activation="softmax")(h))
    model.compile(optimizer=npkeras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    xa, xb = RNG.standard_normal((64, 4)).astype(np.float32), RNG.standard_normal((64, 3)).astype(np.float32)
    y = (xa[:, 0] + xb[:, 0] > 0).astype(int)
    history = model.fit({"a": xa, "b": xb}, y, epochs=30, batch_size=16, validation_split=0.25, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    assert model.evaluate({"a": xa, "b": xb}, y, verbose=0)[1] > 0.9
    with pytest.raises(ValueError, match="The model expects 2 inputs, but `x` holds 1 arrays"):
        model.predict({"a": xa}, verbose=0)
    with pytest.raises(ValueError, match=r"expects inputs \['a', 'b'\]; missing \['b'\]"):
        model.predict({"a": xa, "c": xb}, verbose=0)


def test_several_outputs_predict_as_a_list():
    inputs = npkeras.Input((4,))
    model = npkeras.Model(inputs, [layers.Dense(2)(inputs), layers.Dense(3)(inputs)])
    out = model.predict(RNG.standard_normal((7, 4)), batch_size=3, verbose=0)
    assert [o.shape for o in out] == [(7, 2), (7, 3)]


def test_lstm_states_as_outputs():
    inputs = npkeras.Input((None, 5))
    sequences, h, c = layers.LSTM(3, return_sequences=True, return_state=True)(inputs)
    assert sequences.shape == (None, None, 3) and h.shape == (None, 3) and c.shape == (None, 3)
    model = npkeras.Model(inputs, layers.Dense(1)(layers.Concatenate()([h, c])))
    assert model.predict(RNG.standard_normal((2, 7, 5)), verbose=0).shape == (2, 1)


def test_config_round_trip_rebuilds_the_same_graph():
    a, b = npkeras.Input((4,), name="a"), npkeras.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    out = layers.Average()([shared(a), shared(b), layers.Dense(3)(a)])
    model = npkeras.Model([a, b], out, name="graph")
    config = model.get_config()
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    shared_entry = next(e for e in config["layers"] if e["name"] == "shared")
    assert [n["args"][0]["config"]["keras_history"] for n in shared_entry["inbound_nodes"]] == [
        ["a", 0, 0],
        ["b", 0, 0],
    ]
    again = npkeras.models.Functional.from_config(config)
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]
    again.set_weights(model.get_weights())
    x = [RNG.standard_normal((2, 4)), RNG.standard_normal((2, 4))]
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_save_and_load_a_functional_model(tmp_path):
    inputs = npkeras.Input((5, 5, 1))
    x = layers.Conv2D(2, 3, padding="same")(inputs)
    out = layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling2D()(residual_block(x, 2)))
    model = npkeras.Model(inputs, out)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x = RNG.random((8, 5, 5, 1)).astype(np.float32)
    model.fit(x, RNG.integers(0, 2, 8), epochs=1, verbose=0)
    model.save(tmp_path / "residual.keras")
    loaded = npkeras.models.load_model(tmp_path / "residual.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_summary_shows_what_each_layer_is_connected_to(capsys):
    a = npkeras.Input((4,), name="a")
    d1, d2 = layers.Dense(2, name="left"), layers.Dense(2, name="right")
    npkeras.Model(a, layers.Add(name="sum")([d1(a), d2(a)])).summary(line_length=108)
    out = capsys.readouterr().out
    assert "Connected to" in out
    assert "│ a[0][0]" in out and "left[0][0]," in out and "right[0][0]" in out
    chain = npkeras.Model(a, layers.Dense(1)(a))
    chain.summary()
    assert "Connected to" not in capsys.readouterr().out


def test_graph_errors_are_keras_style():
    a, b = npkeras.Input((3,), name="first"), npkeras.Input((3,), name="second")
    with pytest.raises(ValueError, match='Graph disconnected: cannot find parent .* at layer "second"'):
        npkeras.Model(a, layers.Add()([a, b]))
    dense = layers.Dense(2)
    dense(npkeras.Input((3,)))
    expected = r'Input 0 of layer "dense.*" is incompatible .* have value 3, but received input with shape \(None, 5\)'
    with pytest.raises(ValueError, match=expected):  # a layer reused with an incompatible shape
        dense(npkeras.Input((5,)))
    with pytest.raises(ValueError, match="must be symbolic tensors made by npkeras.Input"):
        npkeras.Model(np.zeros((2, 3)), a)
    with pytest.raises(ValueError, match="expects 2 input"):
        npkeras.Model([a, b], layers.Add()([a, b])).predict([np.zeros((1, 3))], verbose=0)


def test_inputs_with_the_wrong_shape_are_refused():
    a = npkeras.Input((3,), name="x")
    model = npkeras.Model(a, layers.Dense(1)(a))
    expected = r"Input 0 with name 'x' of layer '.*' is incompatible with the layer: expected shape=\(None, 3\), found"
    with pytest.raises(ValueError, match=expected + r" shape=\(2, 4\)"):
        model.predict(np.zeros((2, 4)), verbose=0)


def test_an_input_one_axis_of_one_short_or_over_is_fitted_to_the_input_as_keras_does():
    """Images of shape (n, 28, 28) feed Input((28, 28, 1)); (n, 3, 1) feeds Input((3,)); Keras fits the rank."""
    images = npkeras.Input((2, 3, 1))
    flat = npkeras.Model(images, layers.Flatten()(images))
    x = np.arange(12, dtype="float32").reshape(2, 2, 3)
    np.testing.assert_array_equal(flat.predict(x, verbose=0), x.reshape(2, 6))
    vector = npkeras.Input((3,))
    summed = npkeras.Model(vector, layers.Dense(1, kernel_initializer="ones")(vector))
    np.testing.assert_allclose(summed.predict(np.array([[[1.0], [2.0], [4.0]]]), verbose=0), [[7.0]])
    with pytest.raises(ValueError, match=r"expected shape=\(None, 2, 3, 1\), found shape=\(2, 2, 4\)"):
        flat.predict(np.zeros((2, 2, 4)), verbose=0)  # the last axis is not the Input's, the error shows the data's


def test_two_layers_of_one_name_are_refused_as_keras_does():
    """They once saved and loaded with half their weights and other predictions."""
    inputs = npkeras.Input((3,))
    outputs = layers.Dense(2, name="x")(layers.Dense(2, name="x")(inputs))
    with pytest.raises(ValueError, match='The name "x" is used 2 times in the model. All operation names should be'):
        npkeras.Model(inputs, outputs)
