"""Sequential: construction, lazy building, errors, pop, config round trip, weights."""

import json

import numpy as np
import pytest

import npkeras
from npkeras import layers

DTYPE_POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def _x(n=6, d=4, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype("float32")


def _mlp():
    return npkeras.Sequential(
        [
            npkeras.Input((28, 28)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


# ---- construction ----------------------------------------------------------------------
def test_list_construction_with_input_is_built_at_once():
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(2)])
    assert model.built
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert [tuple(w.shape) for w in model.weights] == [(4, 3), (3,), (3, 2), (2,)]
    assert model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    assert model.input_shape == (None, 4)
    assert model.output_shape == (None, 2)


def test_layers_excludes_the_input_layer():
    model = _mlp()
    assert [type(layer).__name__ for layer in model.layers] == ["Flatten", "Dense", "Dense"]
    assert not any(isinstance(layer, layers.InputLayer) for layer in model.layers)


def test_add_construction_equals_list_construction():
    npkeras.utils.set_random_seed(3)
    listed = npkeras.Sequential([npkeras.Input((5,)), layers.Dense(4, activation="tanh"), layers.Dense(1)])
    npkeras.utils.set_random_seed(3)
    added = npkeras.Sequential()
    added.add(npkeras.Input((5,)))
    added.add(layers.Dense(4, activation="tanh"))
    added.add(layers.Dense(1))
    assert added.built
    assert len(added.layers) == 2
    for a, b in zip(listed.get_weights(), added.get_weights()):
        np.testing.assert_array_equal(a, b)
    x = _x(7, 5)
    np.testing.assert_array_equal(listed.predict(x, verbose=0), added.predict(x, verbose=0))


def test_input_shape_on_first_layer_builds_the_model():
    model = npkeras.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(2)])
    assert model.built
    assert model.input_shape == (None, 4)
    assert len(model.layers) == 2
    assert [tuple(w.shape) for w in model.weights] == [(4, 3), (3,), (3, 2), (2,)]


def test_add_with_input_shape_builds_the_model():
    model = npkeras.Sequential()
    model.add(layers.Dense(3, input_shape=(4,)))
    assert model.built
    model.add(layers.Dense(2))
    assert model.built
    assert model.output_shape == (None, 2)
    assert model.predict(_x(5, 4), verbose=0).shape == (5, 2)


def test_without_input_the_model_builds_lazily_on_first_call():
    model = npkeras.Sequential([layers.Dense(3), layers.Dense(2)])
    assert not model.built
    assert model.weights == []
    out = model(_x(5, 4))
    assert model.built
    assert np.asarray(out).shape == (5, 2)
    assert [tuple(w.shape) for w in model.weights] == [(4, 3), (3,), (3, 2), (2,)]


def test_without_input_the_model_builds_lazily_on_first_fit():
    model = npkeras.Sequential([layers.Dense(3), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    assert not model.built
    model.fit(_x(8, 4), np.zeros((8, 1), "float32"), epochs=1, verbose=0)
    assert model.built
    assert model.count_params() == 4 * 3 + 3 + 3 + 1


# ---- errors ----------------------------------------------------------------------------
def test_duplicate_layer_names_in_list_raise():
    with pytest.raises(ValueError, match="unique names") as info:
        npkeras.Sequential([layers.Dense(2, name="a"), layers.Dense(2, name="a")])
    assert "'a'" in str(info.value)


def test_duplicate_layer_names_with_add_raise():
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2, name="a")])
    with pytest.raises(ValueError, match="unique names"):
        model.add(layers.Dense(2, name="a"))
    assert [layer.name for layer in model.layers] == ["a"]


@pytest.mark.parametrize("bad", [3, "dense", np.zeros(3)])
def test_adding_a_non_layer_raises(bad):
    model = npkeras.Sequential()
    with pytest.raises(ValueError, match="Only instances of"):
        model.add(bad)


def test_non_layer_in_constructor_list_raises():
    with pytest.raises(ValueError, match="Only instances of"):
        npkeras.Sequential([layers.Dense(2), "relu"])


@pytest.mark.parametrize("call", ["predict", "call", "evaluate", "fit"])
def test_wrong_input_shape_names_model_and_shapes(call):
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(2)], name="my_model")
    model.compile(optimizer="sgd", loss="mse")
    x, y = _x(2, 5), np.zeros((2, 2), "float32")
    with pytest.raises(ValueError) as info:
        if call == "predict":
            model.predict(x, verbose=0)
        elif call == "call":
            model(x)
        elif call == "evaluate":
            model.evaluate(x, y, verbose=0)
        else:
            model.fit(x, y, verbose=0)
    message = str(info.value)
    assert "my_model" in message
    assert "expected shape=(None, 4)" in message
    assert "found shape=(2, 5)" in message


def test_wrong_rank_into_built_model_raises():
    model = _mlp()
    with pytest.raises(ValueError) as info:
        model.predict(np.zeros((3, 784), "float32"), verbose=0)
    message = str(info.value)
    assert "sequential" in message
    assert "expected shape=(None, 28, 28)" in message
    assert "found shape=(3, 784)" in message


def test_wrong_input_shape_after_lazy_build_raises():
    model = npkeras.Sequential([layers.Dense(2)])
    model(_x(3, 4))
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\), found shape=\(3, 6\)"):
        model(_x(3, 6))


# ---- pop -------------------------------------------------------------------------------
def test_pop_removes_the_last_layer_and_rebuilds():
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    popped = model.pop()
    assert popped.name == "dense_1"
    assert [layer.name for layer in model.layers] == ["dense"]
    assert model.output_shape == (None, 3)
    assert model.predict(_x(5, 4), verbose=0).shape == (5, 3)
    assert len(model.weights) == 2
    model.add(layers.Dense(5))
    assert model.predict(_x(5, 4), verbose=0).shape == (5, 5)


# ---- config ----------------------------------------------------------------------------
def test_get_config_layout():
    config = _mlp().get_config()
    json.dumps(config)  # plain JSON types only
    assert list(config) == ["name", "trainable", "dtype", "layers", "build_input_shape"]
    assert config["name"] == "sequential"
    assert config["trainable"] is True
    assert config["build_input_shape"] == [None, 28, 28]
    entries = config["layers"]
    assert [e["class_name"] for e in entries] == ["InputLayer", "Flatten", "Dense", "Dense"]
    assert all(e["module"] == "keras.layers" and e["registered_name"] is None for e in entries)
    assert "build_config" not in entries[0]
    assert entries[2]["build_config"] == {"input_shape": [None, 784]}
    assert entries[3]["build_config"] == {"input_shape": [None, 128]}
    assert entries[0]["config"]["batch_shape"] == [None, 28, 28]
    assert entries[2]["config"]["units"] == 128
    assert entries[2]["config"]["activation"] == "relu"
    assert entries[3]["config"]["activation"] == "softmax"
    assert entries[2]["config"]["dtype"] == DTYPE_POLICY


def test_get_config_build_config_only_where_keras_records_one():
    # Observed with keras 3.13.2: Flatten records its build shape, Dropout/Activation/Reshape do not.
    model = npkeras.Sequential(
        [
            npkeras.Input((2, 3)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Activation("relu"),
            layers.Reshape((6,)),
            layers.Dense(2),
        ]
    )
    got = {e["class_name"]: e.get("build_config") for e in model.get_config()["layers"]}
    assert got == {
        "InputLayer": None,
        "Flatten": {"input_shape": [None, 2, 3]},
        "Dropout": None,
        "Activation": None,
        "Reshape": None,
        "Dense": {"input_shape": [None, 6]},
    }


def test_get_config_dtype_is_a_dtype_policy():
    # keras_facts.md section 7: Sequential.get_config()["dtype"] is the DTypePolicy dict.
    assert _mlp().get_config()["dtype"] == DTYPE_POLICY


def test_get_config_input_layer_entry_matches_keras():
    # keras_facts.md section 7: InputLayer config keys, no `trainable`, no DTypePolicy dict.
    entry = _mlp().get_config()["layers"][0]
    assert entry["config"] == {
        "batch_shape": [None, 28, 28],
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": "input_layer",
        "optional": False,
    }


def test_from_config_round_trip_gives_identical_predictions():
    model = _mlp()
    config = model.get_config()
    clone = npkeras.Sequential.from_config(json.loads(json.dumps(config)))
    assert clone.built
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert clone.get_config() == config
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(1).random((9, 28, 28)).astype("float32")
    np.testing.assert_array_equal(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def test_from_config_without_input_stays_unbuilt():
    model = npkeras.Sequential([layers.Dense(3, activation="relu"), layers.Dense(2)])
    config = model.get_config()
    assert "build_input_shape" not in config
    assert [e["class_name"] for e in config["layers"]] == ["Dense", "Dense"]
    clone = npkeras.Sequential.from_config(config)
    assert not clone.built
    assert [layer.units for layer in clone.layers] == [3, 2]


# ---- weights and predict ---------------------------------------------------------------
def test_get_weights_returns_copies_and_set_weights_assigns():
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(4, 3), (3,), (3, 2), (2,)]
    assert all(isinstance(w, np.ndarray) for w in weights)
    weights[0][...] = 123.0
    assert not np.any(model.get_weights()[0] == 123.0)
    new = [np.full(w.shape, i + 1, dtype="float32") for i, w in enumerate(weights)]
    model.set_weights(new)
    for got, want in zip(model.get_weights(), new):
        np.testing.assert_array_equal(got, want)
    x = np.ones((1, 4), "float32")
    # ones @ 1 + 2 = 6 per unit; 6*3 @ 3 + 4 = 58
    np.testing.assert_allclose(model.predict(x, verbose=0), [[58.0, 58.0]])


def test_set_weights_with_wrong_count_or_shape_raises():
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3)])
    with pytest.raises(ValueError):
        model.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError):
        model.set_weights([np.zeros((3, 4)), np.zeros(3)])


def test_predict_returns_ndarray():
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(2, activation="softmax")])
    out = model.predict(_x(70, 4), batch_size=32, verbose=0)
    assert type(out) is np.ndarray
    assert out.shape == (70, 2)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_predict_accepts_lists():
    model = npkeras.Sequential([npkeras.Input((2,)), layers.Dense(1)])
    out = model.predict([[1.0, 2.0], [3.0, 4.0]], verbose=0)
    assert type(out) is np.ndarray
    assert out.shape == (2, 1)


def test_inputs_outputs_and_layer_outputs_build_a_feature_extractor():
    """The Sequential guide's pattern: Model(inputs=model.inputs, outputs=[layer.output for layer in model.layers])."""
    model = npkeras.Sequential(
        [
            layers.Input((9, 9, 2)),
            layers.Conv2D(3, 3, activation="relu"),
            layers.Conv2D(4, 3, name="middle"),
            layers.Flatten(),
        ]
    )
    extractor = npkeras.Model(inputs=model.inputs, outputs=[layer.output for layer in model.layers])
    x = np.random.default_rng(0).random((2, 9, 9, 2), dtype=np.float32)
    features = extractor(x)
    assert [tuple(f.shape) for f in features] == [(2, 7, 7, 3), (2, 5, 5, 4), (2, 100)]
    np.testing.assert_allclose(np.asarray(features[-1]), model.predict(x, verbose=0), rtol=1e-6)
    middle = npkeras.Model(model.input, model.get_layer("middle").output)
    np.testing.assert_allclose(np.asarray(middle(x)), np.asarray(features[1]), rtol=1e-6)
    assert model.output.shape == (None, 100)
    assert [t.shape for t in model.outputs] == [(None, 100)]


def test_inputs_before_the_input_is_known_and_after_add():
    model = npkeras.Sequential([layers.Dense(3)])
    with pytest.raises(AttributeError, match="Sequential model 'sequential' has no defined inputs yet"):
        _ = model.inputs
    model.build((None, 4))
    assert model.output.shape == (None, 3)
    model.add(layers.Dense(2))
    assert model.output.shape == (None, 2)  # the symbolic twin follows the stack


def test_an_input_one_axis_of_one_short_is_fitted_to_the_input_as_keras_does():
    model = npkeras.Sequential([npkeras.Input((2, 2, 1)), layers.Conv2D(1, 2, kernel_initializer="ones")])
    x = np.array([[[1.0, 2.0], [3.0, 4.0]]], dtype="float32")  # (1, 2, 2): no channel axis
    np.testing.assert_allclose(model.predict(x, verbose=0), [[[[10.0]]]])
    model.compile(loss="mse", optimizer="sgd")
    assert np.isfinite(model.fit(x, np.zeros((1, 1, 1, 1)), verbose=0).history["loss"][0])


def test_each_build_takes_a_functional_name_as_keras_functional_twin_does():
    """Keras 3.15 names the model below functional_3: each Sequential build made a functional twin before it."""
    npkeras.Sequential([layers.Dense(3), layers.Dense(2)])(_x(1))  # built by its call
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3)])  # built in __init__
    model.add(layers.Dense(2))  # and rebuilt by add
    inputs = npkeras.Input((4,))
    assert npkeras.Model(inputs, model(inputs)).name == "functional_3"


def test_a_stack_starting_with_a_model_made_on_an_input_is_built_at_once_as_keras_builds_it():
    inputs = npkeras.Input((6,))
    base = npkeras.Model(inputs, layers.Dense(4, name="features")(inputs), name="base")
    model = npkeras.Sequential([base, layers.Dense(3, name="head")])
    assert model.built and model.count_params() == (6 * 4 + 4) + (4 * 3 + 3)
    assert model.output_shape == (None, 3)
    alone = npkeras.Sequential([base])  # Keras too waits for a second layer
    assert not alone.built
