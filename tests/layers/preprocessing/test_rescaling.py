"""Rescaling (npkeras/layers/preprocessing/rescaling.py)."""

import numpy as np

import npkeras as keras
from npkeras.autograd.gradient_check import gradient_check
from npkeras.layers import Rescaling


def test_scales_and_offsets_any_input_to_float32():
    x = np.array([[0, 127, 255]], np.uint8)
    y = Rescaling(1 / 127.5, offset=-1)(x)
    assert np.asarray(y).dtype == np.float32
    np.testing.assert_allclose(np.asarray(y), [[-1.0, -1 / 255, 1.0]], atol=1e-6)


def test_per_channel_scale_broadcasts_over_the_last_axis():
    x = np.ones((2, 3, 3, 3), np.float32)
    y = np.asarray(Rescaling([1.0, 2.0, 3.0], offset=[0.0, 0.5, 1.0])(x))
    np.testing.assert_allclose(y[1, 2, 0], [1.0, 2.5, 4.0])


def test_gradient_is_the_scale():
    layer = Rescaling(0.5, offset=3.0, dtype="float64")
    gradient_check(lambda t: layer(t), np.random.default_rng(0).standard_normal((2, 4)))


def test_config_round_trip_and_masks_pass_through():
    layer = Rescaling(0.25, offset=1.0, name="scale")
    config = layer.get_config()
    assert config["scale"] == 0.25 and config["offset"] == 1.0 and config["name"] == "scale"
    assert Rescaling.from_config(config).get_config() == config
    assert layer.supports_masking
    assert layer.compute_output_shape((None, 5, 3)) == (None, 5, 3)
    assert keras.layers.deserialize(keras.layers.serialize(layer)).scale == 0.25
