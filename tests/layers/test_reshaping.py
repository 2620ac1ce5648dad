"""Flatten, Reshape, ZeroPadding1D and ZeroPadding2D: values, shapes, compute_output_shape, errors and configs."""

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY

import npkeras
from npkeras import layers
from npkeras.autograd import gradient_check

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


# ---- ZeroPadding2D ----------------------------------------------------------------------


def _image(shape=(2, 3, 4, 2), seed=3):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize(
    "padding, pairs",
    [
        (1, ((1, 1), (1, 1))),
        (2, ((2, 2), (2, 2))),
        ((1, 3), ((1, 1), (3, 3))),
        (((1, 2), (0, 1)), ((1, 2), (0, 1))),
        ([[0, 2], [3, 0]], ((0, 2), (3, 0))),
        ((1, (0, 2)), ((1, 1), (0, 2))),
    ],
    ids=str,
)
def test_zero_padding2d_values(padding, pairs):
    x = _image()
    out = layers.ZeroPadding2D(padding)(x)
    expected = np.pad(x, ((0, 0), *pairs, (0, 0)))
    assert out.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(out), expected)


def test_zero_padding2d_hand_computed():
    x = np.array([[[[1.0], [2.0]]]], dtype=np.float32)  # (1, 1, 2, 1)
    out = np.asarray(layers.ZeroPadding2D(((1, 0), (0, 1)))(x))
    np.testing.assert_array_equal(out[0, :, :, 0], [[0.0, 0.0, 0.0], [1.0, 2.0, 0.0]])
    assert out.dtype == np.float32


def test_zero_padding2d_default_is_one_all_round():
    x = np.ones((1, 2, 2, 1), np.float32)
    out = np.asarray(layers.ZeroPadding2D()(x))
    assert out.shape == (1, 4, 4, 1)
    assert out.sum() == 4.0
    np.testing.assert_array_equal(out[0, 1:3, 1:3, 0], 1.0)


def test_zero_padding2d_channels_first():
    x = _image((2, 2, 3, 4))
    out = layers.ZeroPadding2D(((1, 2), (0, 1)), data_format="channels_first")(x)
    np.testing.assert_array_equal(np.asarray(out), np.pad(x, ((0, 0), (0, 0), (1, 2), (0, 1))))
    assert out.shape == (2, 2, 6, 5)


def test_zero_padding2d_compute_output_shape():
    layer = layers.ZeroPadding2D(((1, 2), (0, 1)))
    assert layer.compute_output_shape((None, 28, 28, 3)) == (None, 31, 29, 3)
    assert layer.compute_output_shape((None, None, 5, 3)) == (None, None, 6, 3)
    assert layer.compute_output_shape((4, 28, None, 1)) == (4, 31, None, 1)
    first = layers.ZeroPadding2D((2, 1), data_format="channels_first")
    assert first.compute_output_shape((None, 3, 10, 8)) == (None, 3, 14, 10)
    assert first.compute_output_shape((None, 3, None, None)) == (None, 3, None, None)


def test_zero_padding2d_output_shape_in_a_model():
    model = npkeras.Sequential([npkeras.Input((5, 6, 2)), layers.ZeroPadding2D((1, 2))])
    assert model.output_shape == (None, 7, 10, 2)
    assert model.count_params() == 0


def test_zero_padding2d_gradient():
    x = np.random.default_rng(4).standard_normal((2, 2, 3, 2))
    layer = layers.ZeroPadding2D(((1, 0), (2, 1)))
    assert gradient_check(lambda t: layer(t), x)


@pytest.mark.parametrize(
    "padding, expected",
    [
        (((1, 2), (0, 1)), ((1, 2), (0, 1))),
        (1, ((1, 1), (1, 1))),
        ((1, 3), ((1, 1), (3, 3))),
    ],
    ids=str,
)
def test_zero_padding2d_config_matches_keras(padding, expected):
    # Keras 3.15 ZeroPadding2D(...).get_config(): padding as a tuple of two (before, after) tuples
    config = layers.ZeroPadding2D(padding, name="zp").get_config()
    assert config == {
        "name": "zp",
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "padding": expected,
        "data_format": "channels_last",
    }
    assert isinstance(config["padding"], tuple) and all(isinstance(p, tuple) for p in config["padding"])
    clone = layers.ZeroPadding2D.from_config(config)
    assert clone.get_config() == config


def test_zero_padding2d_channels_first_config_round_trip():
    layer = layers.ZeroPadding2D(((0, 1), (2, 3)), data_format="channels_first", name="zp_cf")
    config = layer.get_config()
    assert config["data_format"] == "channels_first"
    x = _image((1, 2, 3, 3))
    np.testing.assert_array_equal(np.asarray(layers.ZeroPadding2D.from_config(config)(x)), np.asarray(layer(x)))


def test_zero_padding2d_from_json_lists():
    """A config read back from JSON carries lists where Keras wrote tuples."""
    layer = layers.ZeroPadding2D.from_config({"name": "zp_json", "padding": [[1, 2], [0, 1]], "data_format": None})
    assert layer.get_config()["padding"] == ((1, 2), (0, 1))
    assert layer.get_config()["data_format"] == "channels_last"


@pytest.mark.parametrize("padding", [(1, 2, 3), ((1, 2, 3), (0, 0)), -1, ((1, -1), (0, 0)), "same", (1.5, 1)], ids=str)
def test_zero_padding2d_invalid_padding_error_names_layer(padding):
    with pytest.raises(ValueError) as info:
        layers.ZeroPadding2D(padding, name="bad_pad")
    assert "bad_pad" in str(info.value)
    assert "padding" in str(info.value)


def test_zero_padding2d_wrong_rank_error_names_layer():
    with pytest.raises(ValueError, match="pad_rank"):
        layers.ZeroPadding2D(1, name="pad_rank")(np.zeros((2, 3, 4), np.float32))


def test_zero_padding2d_invalid_data_format():
    with pytest.raises(ValueError, match="data_format"):
        layers.ZeroPadding2D(1, data_format="channels_middle")


# ---- ZeroPadding1D ----------------------------------------------------------------------


@pytest.mark.parametrize("padding, pair", [(1, (1, 1)), (3, (3, 3)), ((1, 2), (1, 2)), ([0, 2], (0, 2))], ids=str)
def test_zero_padding1d_values_and_config(padding, pair):
    x = np.random.default_rng(5).standard_normal((2, 4, 3)).astype(np.float32)
    layer = layers.ZeroPadding1D(padding, name="zp1")
    out = layer(x)
    np.testing.assert_array_equal(np.asarray(out), np.pad(x, ((0, 0), pair, (0, 0))))
    assert layer.compute_output_shape((None, 4, 3)) == (None, 4 + sum(pair), 3)
    assert layer.compute_output_shape((None, None, 3)) == (None, None, 3)
    # Keras 3.15: padding is one (before, after) tuple
    assert layer.get_config() == {
        "name": "zp1",
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "padding": pair,
        "data_format": "channels_last",
    }
    assert layers.ZeroPadding1D.from_config(layer.get_config()).get_config() == layer.get_config()


def test_zero_padding1d_hand_computed():
    x = np.array([[[1.0, 2.0], [3.0, 4.0]]], dtype=np.float32)  # (1, 2 steps, 2 channels)
    out = np.asarray(layers.ZeroPadding1D((1, 2))(x))
    np.testing.assert_array_equal(out[0], [[0.0, 0.0], [1.0, 2.0], [3.0, 4.0], [0.0, 0.0], [0.0, 0.0]])


def test_zero_padding1d_channels_first():
    x = np.random.default_rng(6).standard_normal((2, 3, 4)).astype(np.float32)
    layer = layers.ZeroPadding1D((2, 1), data_format="channels_first")
    np.testing.assert_array_equal(np.asarray(layer(x)), np.pad(x, ((0, 0), (0, 0), (2, 1))))
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 7)


def test_zero_padding1d_gradient():
    x = np.random.default_rng(7).standard_normal((2, 3, 2))
    layer = layers.ZeroPadding1D((2, 1))
    assert gradient_check(lambda t: layer(t), x)


@pytest.mark.parametrize("padding", [(1, 2, 3), -2, (1, -1)], ids=str)
def test_zero_padding1d_invalid_padding_error_names_layer(padding):
    with pytest.raises(ValueError, match="bad_pad1"):
        layers.ZeroPadding1D(padding, name="bad_pad1")


def test_reshape_that_cannot_fit_names_the_layer_when_a_sequential_builds():
    with pytest.raises(ValueError, match=r'Layer "to_square": cannot reshape input of shape \(None, 4\)'):
        npkeras.Sequential([npkeras.Input((4,)), layers.Reshape((3, 3), name="to_square")])
