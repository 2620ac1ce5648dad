"""Conv1DTranspose, Conv2DTranspose and Conv3DTranspose: shapes and parameter counts as Keras gives them, values,
config round trip, channels_first, aliases and Keras's errors (outputs and gradients against Keras-TensorFlow
are in test_keras_convolution_family_reference.py)."""

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
        (lambda: layers.Conv2DTranspose(4, 3, strides=2, padding="same"), (None, 8, 8, 3), (None, 16, 16, 4), 112),
        (lambda: layers.Conv2DTranspose(4, 3), (None, 8, 8, 3), (None, 10, 10, 4), 112),
        (lambda: layers.Conv2DTranspose(2, 2, strides=3, use_bias=False), (None, 5, 6, 3), (None, 15, 18, 2), 24),
        (lambda: layers.Conv1DTranspose(4, 3, strides=2, output_padding=1), (None, 10, 3), (None, 22, 4), 40),
        (lambda: layers.Conv3DTranspose(3, 2, strides=2), (None, 3, 3, 3, 4), (None, 6, 6, 6, 3), 99),
    ],
)
def test_output_shape_and_parameter_count_as_keras(layer, in_shape, out_shape, params):
    layer = layer()
    assert layer.compute_output_shape(in_shape) == out_shape
    y = layer(np.zeros((2, *in_shape[1:]), dtype=np.float32))
    assert y.shape == (2, *out_shape[1:])
    assert layer.count_params() == params
    assert [w.name for w in layer.weights] == (["kernel", "bias"] if layer.use_bias else ["kernel"])
    assert layer.kernel.shape == (*layer.kernel_size, layer.filters, in_shape[-1])


def test_summary_counts_the_parameters_as_keras():
    model = npkeras.Sequential(
        [npkeras.Input((10, 3)), layers.Conv1DTranspose(4, 3, strides=2, output_padding=1), layers.Flatten()]
    )
    model.predict(np.zeros((1, 10, 3)), verbose=0)
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 40" in "\n".join(lines)


def test_values_are_the_bias_added_conv_transpose_then_the_activation():
    layer = layers.Conv2DTranspose(3, 2, strides=2, activation="relu")
    x = rand((2, 3, 4, 2))
    layer(x)
    kernel, bias = rand((2, 2, 3, 2), 1), rand((3,), 2)
    layer.set_weights([kernel, bias])
    expected = np.maximum(np.asarray(ops.conv_transpose(x, kernel, 2)) + bias, 0)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-6)


def test_channels_first_equals_channels_last_on_transposed_input():
    x = rand((2, 5, 4, 3))
    last = layers.Conv2DTranspose(2, 3, strides=2, padding="same")
    first = layers.Conv2DTranspose(2, 3, strides=2, padding="same", data_format="channels_first")
    last(x)
    first(np.transpose(x, (0, 3, 1, 2)))
    first.set_weights(last.get_weights())
    y_first = np.asarray(first(np.transpose(x, (0, 3, 1, 2))))
    assert first.compute_output_shape((2, 3, 5, 4)) == (2, 2, 10, 8)
    np.testing.assert_allclose(y_first, np.transpose(np.asarray(last(x)), (0, 3, 1, 2)), rtol=1e-6)


def test_config_round_trip_and_keras_defaults():
    layer = layers.Conv2DTranspose(4, 3, strides=2, output_padding=1, name="up")
    config = layer.get_config()
    assert config["output_padding"] == (1, 1)
    assert config["strides"] == (2, 2) and config["dilation_rate"] == (1, 1)
    assert "groups" not in config
    assert layers.Conv2DTranspose(4, 3).get_config()["output_padding"] is None
    again = layers.Conv2DTranspose.from_config(config)
    assert again.get_config() == config


def test_keras_aliases_and_names():
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose
    assert layers.Conv2DTranspose(1, 1).name.startswith("conv2d_transpose")


@pytest.mark.parametrize(
    "make, x_shape, match",
    [
        (lambda: layers.Conv2DTranspose(2, 3, strides=2, output_padding=2), None, "strictly less than `strides`"),
        (lambda: layers.Conv1DTranspose(2, 3, padding="causal"), None, "'valid', 'same'"),
        (lambda: layers.Conv2DTranspose(0, 3), None, "filters"),
        (lambda: layers.Conv2DTranspose(2, 3, strides=2, dilation_rate=2), None, "dilation_rate > 1"),
        (lambda: layers.Conv2DTranspose(2, 3), (1, 4, 4), "ndim=4|rank 4"),
    ],
)
def test_keras_errors(make, x_shape, match):
    with pytest.raises(ValueError, match=match):
        layer = make()
        layer(np.zeros(x_shape, dtype=np.float32))


def test_channels_that_differ_from_the_built_kernel():
    layer = layers.Conv2DTranspose(2, 3)
    layer(np.zeros((1, 4, 4, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="conv2d_transpose"):
        layer(np.zeros((1, 4, 4, 2), dtype=np.float32))
