"""SeparableConv1D and SeparableConv2D: weights in Keras's order, parameter counts, values, config, aliases
(outputs and gradients against Keras-TensorFlow are in test_keras_convolution_family_reference.py)."""

import numpy as np
import pytest

import npkeras
from npkeras import layers, ops


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# output shapes and parameter counts printed by Keras 3.15.1 (TensorFlow backend) for the same layers
@pytest.mark.parametrize(
    "layer, in_shape, out_shape, params",
    [
        (
            lambda: layers.SeparableConv2D(5, 3, depth_multiplier=2, use_bias=False),
            (None, 14, 14, 8),
            (None, 12, 12, 5),
            224,
        ),
        (lambda: layers.SeparableConv1D(5, 3), (None, 20, 12), (None, 18, 5), 101),
    ],
)
def test_output_shape_and_parameter_count_as_keras(layer, in_shape, out_shape, params):
    layer = layer()
    assert layer.compute_output_shape(in_shape) == out_shape
    assert layer(np.zeros((2, *in_shape[1:]), dtype=np.float32)).shape == (2, *out_shape[1:])
    assert layer.count_params() == params


def test_weights_in_keras_order_and_shapes():
    layer = layers.SeparableConv2D(4, (3, 2), depth_multiplier=2)
    layer(np.zeros((1, 6, 6, 3), dtype=np.float32))
    assert [w.name for w in layer.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert [w.shape for w in layer.weights] == [(3, 2, 3, 2), (1, 1, 6, 4), (4,)]


def test_values_are_depthwise_then_pointwise_plus_bias():
    layer = layers.SeparableConv1D(3, 2, strides=2, padding="same", activation="relu")
    x = rand((2, 7, 2))
    layer(x)
    weights = [rand((2, 2, 1), 1), rand((1, 2, 3), 2), rand((3,), 3)]
    layer.set_weights(weights)
    depthwise = np.asarray(ops.depthwise_conv(x, weights[0], 2, "same"))
    expected = np.maximum(depthwise @ weights[1][0] + weights[2], 0)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-6)


def test_config_round_trip_with_keras_keys():
    layer = layers.SeparableConv2D(4, 3, depth_multiplier=2, pointwise_regularizer="l1")
    config = layer.get_config()
    assert (config["filters"], config["depth_multiplier"]) == (4, 2)
    assert config["pointwise_initializer"]["class_name"] == "GlorotUniform"
    assert config["pointwise_regularizer"]["class_name"] == "L1"
    assert layers.SeparableConv2D.from_config(config).get_config() == config


def test_aliases_and_training_reduces_the_loss():
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
    assert layers.SeparableConvolution2D is layers.SeparableConv2D
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 6, 6, 2)).astype(np.float32)
    y = (x[..., 0].mean(axis=(1, 2)) > 0).astype(np.float32)
    model = npkeras.Sequential(
        [npkeras.Input((6, 6, 2)), layers.SeparableConv2D(4, 3), layers.GlobalAveragePooling2D(), layers.Dense(1)]
    )
    model.compile(optimizer=npkeras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, epochs=15, verbose=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]


def test_filters_must_be_positive():
    with pytest.raises(ValueError, match="filters"):
        layers.SeparableConv2D(0, 3)
