"""Input and InputLayer: symbolic shapes, batch_shape, naming, errors, config."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def test_input_gives_keras_tensor_with_batch_axis():
    x = npkeras.Input(shape=(28, 28))
    assert isinstance(x, layers.KerasTensor)
    assert x.shape == (None, 28, 28)
    assert x.ndim == 3
    assert x.dtype == "float32"


def test_input_batch_size_and_batch_shape():
    assert npkeras.Input(shape=(3,), batch_size=16).shape == (16, 3)
    assert npkeras.Input(batch_shape=(8, 3)).shape == (8, 3)
    assert npkeras.Input(batch_shape=(None, 5, 2)).shape == (None, 5, 2)


def test_input_dtype():
    assert npkeras.Input(shape=(4,), dtype="int32").dtype == "int32"
    assert npkeras.Input(shape=(4,), dtype="float64").dtype == "float64"


def test_input_layer_batch_shape():
    layer = layers.InputLayer(shape=(3,))
    assert layer.batch_shape == (None, 3)
    assert layer.built
    assert layer.weights == []
    assert layer.output.shape == (None, 3)
    assert layers.InputLayer(batch_shape=(4, 3)).batch_shape == (4, 3)


def test_both_shape_and_batch_shape_is_an_error():
    with pytest.raises(ValueError, match="batch_shape"):
        npkeras.Input(shape=(3,), batch_shape=(None, 3))
    with pytest.raises(ValueError, match="batch_shape"):
        layers.InputLayer(shape=(3,), batch_shape=(None, 3))


def test_missing_shape_is_an_error():
    with pytest.raises(ValueError, match="shape"):
        layers.InputLayer()


def test_negative_dimension_is_an_error():
    with pytest.raises(ValueError):
        npkeras.Input(shape=(-1, 3))


def test_input_layer_auto_names():
    npkeras.clear_session()
    assert layers.InputLayer(shape=(3,)).name == "input_layer"
    assert layers.InputLayer(shape=(3,)).name == "input_layer_1"
    assert layers.InputLayer(shape=(3,), name="pixels").name == "pixels"


def test_keras_tensor_has_no_values():
    x = npkeras.Input(shape=(2,))
    with pytest.raises(TypeError):
        np.asarray(x)


def test_input_layer_config_values():
    npkeras.clear_session()
    layers.InputLayer(shape=(1,))
    config = layers.InputLayer(shape=(3,)).get_config()
    assert list(config["batch_shape"]) == [None, 3]
    assert config["dtype"] == "float32"
    assert config["sparse"] is False
    assert config["name"] == "input_layer_1"
    assert "trainable" not in config


def test_input_layer_config_keys_match_keras():
    """Keras 3 InputLayer.get_config also has `ragged: False` and `optional: False` (keras_facts.md section 7)."""
    config = layers.InputLayer(shape=(3,)).get_config()
    assert set(config) == {"batch_shape", "dtype", "sparse", "ragged", "name", "optional"}
    assert config["ragged"] is False
    assert config["optional"] is False


def test_input_layer_from_config_round_trip():
    layer = layers.InputLayer(shape=(5, 2), name="inp")
    clone = layers.InputLayer.from_config(layer.get_config())
    assert clone.batch_shape == (None, 5, 2)
    assert clone.name == "inp"


def test_input_layer_from_keras_config_dict():
    """The config exactly as Keras 3 writes it (keras_facts.md section 7) must load."""
    keras_config = {
        "batch_shape": [None, 3],
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": "input_layer_1",
        "optional": False,
    }
    layer = layers.InputLayer.from_config(keras_config)
    assert layer.batch_shape == (None, 3)
    assert layer.name == "input_layer_1"


def _uint8_pixels():
    return np.array([[[200, 1], [2, 255]]], dtype=np.uint8)


@pytest.mark.parametrize(
    "layer",
    [
        layers.Lambda(lambda t: t * 2),
        layers.Activation("sigmoid"),
        layers.Dropout(0.5),
        layers.GlobalAveragePooling1D(),
    ],
    ids=["lambda", "sigmoid", "dropout", "global_average_pooling"],
)
@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
def test_model_inputs_become_the_inputs_float_dtype(layer, functional):
    inputs = npkeras.Input((2, 2))
    model = npkeras.Model(inputs, layer(inputs)) if functional else npkeras.Sequential([inputs, layer])
    pixels = _uint8_pixels()
    got = model.predict(pixels, verbose=0)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, model.predict(pixels.astype(np.float32), verbose=0))


def test_integer_inputs_keep_integer_ids():
    ids = npkeras.Input((3,), dtype="int32")
    seen = {}
    probe = layers.Lambda(lambda t: seen.setdefault("dtype", t.dtype) and t)
    npkeras.Model(ids, probe(ids)).predict(np.array([[1, 2, 3]], dtype=np.int32), verbose=0)
    assert seen["dtype"] == np.int32


def test_uint8_images_normalised_by_a_lambda_train_as_float_images_do():
    """uint8 pixels through Lambda((t - 128) / 128) once wrapped around and trained to chance."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(64, 4, 4), dtype=np.uint8)
    y = (x.reshape(64, -1).mean(axis=1) > 127).astype(np.int64)

    def trained(images):
        npkeras.utils.set_random_seed(3)
        model = npkeras.Sequential(
            [npkeras.Input((4, 4)), layers.Lambda(lambda t: (t - 128) / 128), layers.Flatten(), layers.Dense(2)]
        )
        model.compile("sgd", npkeras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(images, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
        return model.get_weights()

    for got, want in zip(trained(x), trained(x.astype(np.float32))):
        np.testing.assert_array_equal(got, want)
