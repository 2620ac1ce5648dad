"""Flatten and Reshape: values, shapes, compute_output_shape, errors and configs."""

import numpy as np
import pytest

from npkeras import layers
from npkeras.autograd import gradient_check

FLOAT32_POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}


# ---- Flatten ----------------------------------------------------------------------------


def test_flatten_values_and_shape():
    x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    out = layers.Flatten()(x)
    assert out.shape == (2, 12)
    np.testing.assert_array_equal(np.asarray(out), x.reshape(2, 12))


def test_flatten_mnist_shaped_input():
    x = np.random.default_rng(0).random((5, 28, 28)).astype(np.float32)
    out = np.asarray(layers.Flatten()(x))
    assert out.shape == (5, 784)
    np.testing.assert_array_equal(out[3], x[3].ravel())


def test_flatten_rank2_input_is_unchanged():
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_array_equal(np.asarray(layers.Flatten()(x)), x)


def test_flatten_channels_first_moves_channels_last():
    x = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    out = np.asarray(layers.Flatten(data_format="channels_first")(x))
    np.testing.assert_array_equal(out, np.transpose(x, (0, 2, 3, 1)).reshape(2, -1))


def test_flatten_compute_output_shape():
    layer = layers.Flatten()
    assert layer.compute_output_shape((None, 28, 28)) == (None, 784)
    assert layer.compute_output_shape((None, 4, 4, 3)) == (None, 48)
    assert layer.compute_output_shape((8, 10)) == (8, 10)


def test_flatten_rank1_input_error_names_layer():
    with pytest.raises(ValueError, match="my_flatten"):
        layers.Flatten(name="my_flatten")(np.zeros(5, dtype=np.float32))


def test_flatten_gradient():
    x = np.random.default_rng(1).standard_normal((2, 3, 2))
    layer = layers.Flatten()
    assert gradient_check(lambda t: layer(t), x)


def test_flatten_config():
    config = layers.Flatten(name="flat").get_config()
    assert config == {"name": "flat", "trainable": True, "dtype": FLOAT32_POLICY, "data_format": "channels_last"}
    assert layers.Flatten.from_config(config).get_config() == config


def test_flatten_invalid_data_format():
    with pytest.raises(ValueError, match="data_format"):
        layers.Flatten(data_format="channels_middle")


# ---- Reshape ----------------------------------------------------------------------------


def test_reshape_values_and_shape():
    x = np.arange(24, dtype=np.float32).reshape(2, 12)
    out = layers.Reshape((3, 4))(x)
    assert out.shape == (2, 3, 4)
    np.testing.assert_array_equal(np.asarray(out), x.reshape(2, 3, 4))


@pytest.mark.parametrize(
    "target, expected",
    [((-1, 2), (2, 6, 2)), ((3, -1), (2, 3, 4)), ((-1,), (2, 12)), ((2, -1, 3), (2, 2, 2, 3))],
)
def test_reshape_with_minus_one(target, expected):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    out = layers.Reshape(target)(x)
    assert out.shape == expected
    np.testing.assert_array_equal(np.asarray(out), x.reshape(expected))


def test_reshape_compute_output_shape():
    assert layers.Reshape((3, 4)).compute_output_shape((None, 12)) == (None, 3, 4)
    assert layers.Reshape((3, -1)).compute_output_shape((None, 12)) == (None, 3, 4)
    assert layers.Reshape((-1, 2)).compute_output_shape((None, 2, 6)) == (None, 6, 2)
    assert layers.Reshape((1, 28, 28)).compute_output_shape((None, 784)) == (None, 1, 28, 28)


def test_reshape_incompatible_size_error_names_layer():
    layer = layers.Reshape((5,), name="bad_reshape")
    with pytest.raises(ValueError) as info:
        layer(np.zeros((2, 12), dtype=np.float32))
    message = str(info.value)
    assert "bad_reshape" in message
    assert "(5,)" in message


def test_reshape_indivisible_minus_one_error_names_layer():
    with pytest.raises(ValueError, match="reshape_odd"):
        layers.Reshape((5, -1), name="reshape_odd")(np.zeros((2, 12), dtype=np.float32))


def test_reshape_gradient():
    x = np.random.default_rng(2).standard_normal((2, 6))
    layer = layers.Reshape((3, 2))
    assert gradient_check(lambda t: layer(t), x)


def test_reshape_config_matches_keras():
    """Keras 3 returns target_shape as a Python tuple, (2, 3) (keras_facts.md section 7)."""
    config = layers.Reshape((2, 3), name="r").get_config()
    assert set(config) == {"name", "trainable", "dtype", "target_shape"}
    assert config["dtype"] == FLOAT32_POLICY
    assert config["target_shape"] == (2, 3)


def test_reshape_from_config_round_trip():
    layer = layers.Reshape((2, -1), name="r2")
    clone = layers.Reshape.from_config(layer.get_config())
    assert clone.name == "r2"
    assert tuple(clone.target_shape) == (2, -1)
    x = np.arange(12, dtype=np.float32).reshape(1, 12)
    np.testing.assert_array_equal(np.asarray(clone(x)), np.asarray(layer(x)))
