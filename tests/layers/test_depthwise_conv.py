"""DepthwiseConv1D and DepthwiseConv2D: shapes and parameter counts as Keras gives them, values, config round trip,
channels_first and Keras's errors (outputs and gradients against Keras-TensorFlow are in
test_keras_convolution_family_reference.py)."""

import numpy as np
import pytest

from npkeras import layers, ops


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# output shapes and parameter counts printed by Keras 3.15.1 (TensorFlow backend) for the same layers
@pytest.mark.parametrize(
    "layer, in_shape, out_shape, params",
    [
        (lambda: layers.DepthwiseConv2D(3, depth_multiplier=2), (None, 16, 16, 4), (None, 14, 14, 8), 80),
        (lambda: layers.DepthwiseConv2D(3, strides=2, padding="same"), (None, 7, 6, 3), (None, 4, 3, 3), 30),
        (lambda: layers.DepthwiseConv1D(3, depth_multiplier=3, use_bias=False), (None, 22, 4), (None, 20, 12), 36),
    ],
)
def test_output_shape_and_parameter_count_as_keras(layer, in_shape, out_shape, params):
    layer = layer()
    assert layer.compute_output_shape(in_shape) == out_shape
    assert layer(np.zeros((2, *in_shape[1:]), dtype=np.float32)).shape == (2, *out_shape[1:])
    assert layer.count_params() == params
    assert layer.kernel.shape == (*layer.kernel_size, in_shape[-1], layer.depth_multiplier)
    assert [w.name for w in layer.weights] == (["kernel", "bias"] if layer.use_bias else ["kernel"])


def test_values_are_the_bias_added_depthwise_conv_then_the_activation():
    layer = layers.DepthwiseConv2D(2, depth_multiplier=2, activation="tanh")
    x = rand((2, 4, 5, 3))
    layer(x)
    kernel, bias = rand((2, 2, 3, 2), 1), rand((6,), 2)
    layer.set_weights([kernel, bias])
    expected = np.tanh(np.asarray(ops.depthwise_conv(x, kernel)) + bias)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-6)


def test_channels_first_equals_channels_last_on_transposed_input():
    x = rand((2, 6, 5, 3))
    last = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2)
    first = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, data_format="channels_first")
    last(x)
    first(np.transpose(x, (0, 3, 1, 2)))
    first.set_weights(last.get_weights())
    y_first = np.asarray(first(np.transpose(x, (0, 3, 1, 2))))
    np.testing.assert_allclose(y_first, np.transpose(np.asarray(last(x)), (0, 3, 1, 2)), rtol=1e-5, atol=1e-6)


def test_config_uses_keras_keys_and_round_trips():
    layer = layers.DepthwiseConv2D(3, depth_multiplier=2, depthwise_regularizer="l2")
    config = layer.get_config()
    assert config["depth_multiplier"] == 2
    assert config["depthwise_initializer"]["class_name"] == "GlorotUniform"
    assert config["depthwise_regularizer"]["class_name"] == "L2"
    assert {"filters", "groups", "kernel_initializer", "kernel_regularizer"}.isdisjoint(config)
    assert layers.DepthwiseConv2D.from_config(config).get_config() == config


def test_depthwise_regularizer_penalizes_the_kernel():
    layer = layers.DepthwiseConv1D(2, depthwise_regularizer="l2", use_bias=False)
    layer(np.zeros((1, 4, 2), dtype=np.float32))
    kernel = rand((2, 2, 1), 3)
    layer.set_weights([kernel])
    np.testing.assert_allclose(float(np.asarray(layer.losses[0])), 0.01 * np.sum(kernel**2), rtol=1e-5)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier"),
        (lambda: layers.DepthwiseConv1D(3, padding="causal"), "'valid', 'same'"),
        (lambda: layers.DepthwiseConv2D((3, 3, 3)), "kernel_size"),
    ],
)
def test_keras_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match="zero or negative"):
        layers.DepthwiseConv2D(5)(np.zeros((1, 3, 3, 2), dtype=np.float32))
