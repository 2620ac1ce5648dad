"""`ops.depthwise_conv` and `ops.separable_conv`: against per-channel `ops.conv`, by hand, gradients, bad arguments."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check


def per_channel_reference(x, kernel, strides, padding, dilation):
    """Depthwise by definition: channel c convolved alone with its `multiplier` filters, outputs c * m + j."""
    outputs = [
        np.asarray(ops.conv(x[..., c : c + 1], kernel[..., c : c + 1, :], strides, padding, dilation_rate=dilation))
        for c in range(x.shape[-1])
    ]
    return np.concatenate(outputs, axis=-1)


CASES = [  # (input shape, kernel shape, strides, padding, dilation)
    ((2, 7, 6, 3), (3, 3, 3, 2), 2, "same", 1),
    ((2, 7, 6, 3), (3, 2, 3, 1), 1, "valid", 2),
    ((2, 7, 6, 3), (2, 2, 3, 1), (2, 1), "same", 1),
    ((2, 7, 6, 3), (1, 1, 3, 3), 1, "valid", 1),
    ((2, 9, 3), (3, 3, 2), 2, "same", 1),
    ((2, 9, 3), (3, 3, 1), 1, "causal", 2),
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", CASES)
def test_depthwise_conv_is_a_convolution_per_channel(x_shape, k_shape, strides, padding, dilation):
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal(x_shape).astype(np.float32), rng.standard_normal(k_shape).astype(np.float32)
    y = ops.depthwise_conv(x, kernel, strides, padding, dilation_rate=dilation)
    assert y.dtype == np.float32
    expected = per_channel_reference(x, kernel, strides, padding, dilation)
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", CASES)
def test_depthwise_conv_gradients(x_shape, k_shape, strides, padding, dilation):
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    gradient_check(lambda a, k: ops.depthwise_conv(a, k, strides, padding, dilation_rate=dilation), x, kernel)


def test_depthwise_hand_computed_case():
    # channel 0 sums its 2-window, channel 1 doubles and negates the first value of each window
    x = np.array([[[1.0, 1.0], [2.0, 3.0], [4.0, 5.0]]], dtype=np.float32)
    kernel = np.array([[[1.0, 2.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, -1.0]]], dtype=np.float32)  # (2, 2, 2)
    y = np.asarray(ops.depthwise_conv(x, kernel))
    # outputs (c0 m0, c0 m1, c1 m0, c1 m1): c0: [1+2, 2+4]; c0*2 from the first tap: [2, 4]; c1: 0; -x1 second tap
    np.testing.assert_array_equal(y[0], [[3, 2, 0, -3], [6, 4, 0, -5]])


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", [c for c in CASES if c[3] != "causal"])
def test_separable_conv_is_depthwise_then_pointwise(x_shape, k_shape, strides, padding, dilation):
    rng = np.random.default_rng(2)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    pointwise = rng.standard_normal((1,) * (len(x_shape) - 2) + (k_shape[-2] * k_shape[-1], 4))
    y = np.asarray(ops.separable_conv(x, kernel, pointwise, strides, padding, dilation_rate=dilation))
    depthwise = per_channel_reference(x, kernel, strides, padding, dilation)
    np.testing.assert_allclose(y, depthwise @ pointwise.reshape(-1, 4), rtol=1e-10, atol=1e-10)
    gradient_check(
        lambda a, k, p: ops.separable_conv(a, k, p, strides, padding, dilation_rate=dilation), x, kernel, pointwise
    )


@pytest.mark.parametrize(
    "x_shape, k_shape, kwargs, match",
    [
        ((1, 4, 4, 2), (3, 3, 3, 1), {}, "channels"),
        ((1, 4, 4, 2), (3, 3, 2, 1), {"padding": "full"}, "padding"),
        ((1, 4, 4, 2), (3, 3, 2, 1), {"data_format": "channels_first"}, "channels_last"),
        ((1, 4, 4, 2), (3, 2, 1), {}, "rank"),
        ((1, 2, 2, 2), (3, 3, 2, 1), {}, "zero or negative"),
    ],
)
def test_depthwise_conv_bad_arguments(x_shape, k_shape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ops.depthwise_conv(np.zeros(x_shape), np.zeros(k_shape), **kwargs)
