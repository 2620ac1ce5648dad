"""RandomContrast and RandomBrightness (npkeras/layers/preprocessing/random_color.py)."""

import numpy as np
import pytest

import npkeras as keras
from npkeras.autograd.gradient_check import gradient_check
from npkeras.layers import RandomBrightness, RandomContrast


def _images():
    return np.random.default_rng(0).uniform(0, 255, (6, 4, 5, 3)).astype(np.float32)


def test_contrast_scales_about_each_images_channel_means_and_clips():
    x = np.array([[[[10.0], [30.0]], [[50.0], [70.0]]]], np.float32)  # mean 40
    layer = RandomContrast(0.5, value_range=(0, 100))
    np.testing.assert_allclose(np.asarray(layer.adjust(x, [2.0]))[0, ..., 0], [[0, 20], [60, 100]])


def test_contrast_draws_from_keras_range_one_factor_per_image():
    x = _images()
    layer = RandomContrast(0.5, seed=1)
    assert layer.factor == (0, 0.5)  # Keras 3 clamps the lower bound of a number factor at 0
    y = np.asarray(layer(x, training=True))
    centred_x = x - x.mean(axis=(1, 2), keepdims=True)
    ratios = (y - x.mean(axis=(1, 2), keepdims=True)) / centred_x
    unclipped = (y > 0) & (y < 255)
    for i in range(len(x)):
        r = ratios[i][unclipped[i]]
        np.testing.assert_allclose(r, r[0], rtol=1e-3)
        assert 1.0 <= r[0] <= 1.5


def test_brightness_adds_one_fraction_of_the_range_per_image_and_clips():
    x = _images()
    layer = RandomBrightness((0.1, 0.1), value_range=(0, 255))
    np.testing.assert_allclose(np.asarray(layer(x, training=True)), np.clip(x + 25.5, 0, 255), rtol=1e-6)
    y = np.asarray(RandomBrightness(0.3, seed=2)(x, training=True))
    deltas = (y - x)[(y > 0) & (y < 255)]
    assert np.abs(deltas).max() <= 0.3 * 255 + 1e-3


def test_inference_is_identity_and_a_seed_reproduces():
    x = _images()
    for make in (lambda: RandomContrast(0.4, seed=5), lambda: RandomBrightness(0.2, seed=5)):
        np.testing.assert_array_equal(np.asarray(make()(x, training=False)), x)
        np.testing.assert_array_equal(np.asarray(make()(x, training=True)), np.asarray(make()(x, training=True)))


def test_gradients_pass_where_not_clipped():
    x = np.random.default_rng(1).uniform(-0.5, 0.5, (2, 3, 3, 2))
    gradient_check(lambda t: RandomContrast(0.3, value_range=(-10, 10), dtype="float64").adjust(t, [1.2, 0.8]), x)
    gradient_check(lambda t: RandomBrightness(0.2, value_range=(-10, 10), dtype="float64").adjust(t, [0.1, -0.1]), x)


def test_bad_arguments_and_config():
    with pytest.raises(ValueError, match=r"in the range \[0, 1\]"):
        RandomContrast(1.5)
    with pytest.raises(ValueError, match="`value_range` argument should be a list of two numbers"):
        RandomBrightness(0.1, value_range=5)
    layer = RandomBrightness(0.2, value_range=(255, 0), seed=3)
    config = keras.layers.serialize(layer)["config"]
    assert config["factor"] == (-0.2, 0.2) and config["value_range"] == [0, 255] and config["seed"] == 3
    assert keras.layers.deserialize(keras.layers.serialize(layer)).get_config() == layer.get_config()
