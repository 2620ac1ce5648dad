"""LayerNormalization: Keras's weights, config, errors and mask passing (values and gradients against Keras are in
test_keras_attention_reference.py)."""

import warnings

import numpy as np
import pytest

import npkeras
from npkeras import layers


def test_normalizes_each_sample_and_creates_gamma_then_beta():
    layer = layers.LayerNormalization()
    x = np.random.default_rng(0).standard_normal((4, 5, 6)).astype("float32") * 3 + 2
    y = np.asarray(layer(x))
    assert [w.name for w in layer.weights] == ["gamma", "beta"]
    assert [w.shape for w in layer.weights] == [(6,), (6,)]
    expected = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)
    assert y.dtype == np.float32


def test_several_axes_give_weights_of_their_sizes_sorted():
    layer = layers.LayerNormalization(axis=[2, 1])
    layer(np.zeros((2, 3, 4, 5), "float32"))
    assert layer.axis == [1, 2]
    assert layer.gamma.shape == (3, 4) and layer.beta.shape == (3, 4)


def test_center_scale_and_rms_scaling_choose_the_weights():
    assert layers.LayerNormalization(center=False)(np.ones((2, 3))) is not None
    no_beta = layers.LayerNormalization(center=False)
    no_beta.build((None, 3))
    assert [w.name for w in no_beta.weights] == ["gamma"]
    neither = layers.LayerNormalization(center=False, scale=False)
    neither.build((None, 3))
    assert neither.weights == []
    with pytest.warns(UserWarning, match="rms_scaling=True"):
        rms = layers.LayerNormalization(rms_scaling=True)
    rms.build((None, 3))
    assert [w.name for w in rms.weights] == ["gamma"]


def test_config_round_trip_and_keras_keys():
    layer = layers.LayerNormalization(axis=[1, 2], epsilon=1e-6, center=False, gamma_initializer="zeros")
    config = layer.get_config()
    assert list(config)[3:] == [
        "axis", "epsilon", "center", "scale", "rms_scaling", "beta_initializer", "gamma_initializer",
        "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
    ]  # fmt: skip
    clone = layers.LayerNormalization.from_config(config)
    assert clone.get_config() == config


def test_bad_arguments_get_keras_errors():
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints for the argument 'axis'"):
        layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="Axis 3 is out of bounds"):
        layers.LayerNormalization(axis=3)(np.zeros((2, 3, 4)))
    layer = layers.LayerNormalization()
    layer(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r'"layer_normalization.*\(4,\).*\(2, 5\)'):
        layer(np.zeros((2, 5)))


def test_the_mask_passes_through():
    ids = np.array([[3, 1, 0, 0]])
    x = layers.Embedding(5, 4, mask_zero=True)(ids)
    y = layers.LayerNormalization()(x)
    np.testing.assert_array_equal(y._keras_mask, [[True, True, False, False]])


def test_trains_in_a_model_and_float64_stays_float64(float64):
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(4), layers.LayerNormalization(), layers.Dense(1)])
    x = np.random.default_rng(1).standard_normal((32, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.compile("adam", "mse")
        history = model.fit(x, x.sum(1, keepdims=True), epochs=20, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.layers[1].gamma.dtype == np.float64
