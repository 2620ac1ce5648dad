"""`ops.conv_transpose`: a hand-computed case, the adjoint of `ops.conv`, output sizes, gradients, bad arguments."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check
from npkeras.ops.transposed_convolution import transposed_output_size


def test_hand_computed_strided_case():
    # each input value stamps the kernel [1, 10, 100] at its stride-2 position; the stamps overlap by one
    x = np.array([[[1.0], [2.0]]], dtype=np.float32)
    kernel = np.array([1.0, 10.0, 100.0], dtype=np.float32).reshape(3, 1, 1)
    y = np.asarray(ops.conv_transpose(x, kernel, strides=2))
    np.testing.assert_array_equal(y[0, :, 0], [1, 10, 100 + 2, 20, 200])
    assert y.dtype == np.float32


CASES = [  # (input shape, kernel shape, strides, padding, output_padding, dilation)
    ((2, 5, 4, 3), (3, 3, 2, 3), 2, "same", None, 1),
    ((2, 5, 4, 3), (3, 2, 2, 3), 2, "valid", None, 1),
    ((2, 5, 4, 3), (3, 3, 2, 3), (2, 3), "valid", (1, 2), 1),
    ((2, 5, 4, 3), (3, 3, 2, 3), 2, "same", 1, 1),
    ((2, 5, 4, 3), (3, 3, 2, 3), 1, "same", None, 2),
    ((2, 5, 4, 3), (2, 2, 2, 3), 3, "valid", None, 1),
    ((2, 7, 3), (3, 2, 3), 3, "same", None, 1),
    ((2, 7, 3), (4, 2, 3), 1, "valid", None, 2),
    ((2, 3, 4, 3, 2), (2, 3, 2, 2, 2), (2, 1, 3), "same", None, 1),
    ((2, 3, 4, 3, 2), (2, 2, 2, 3, 2), 2, "valid", 1, 1),
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, output_padding, dilation", CASES)
def test_conv_transpose_is_the_adjoint_of_conv(x_shape, k_shape, strides, padding, output_padding, dilation):
    """<conv(z, K), x> == <z, conv_transpose(x, K)> for every z of the output's shape: the definition."""
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    y = np.asarray(ops.conv_transpose(x, kernel, strides, padding, output_padding, dilation_rate=dilation))
    rank = len(x_shape) - 2
    expected = tuple(
        transposed_output_size(n, k, s, dilation, padding, op)
        for n, k, s, op in zip(
            x_shape[1:-1],
            k_shape[:rank],
            (strides,) * rank if isinstance(strides, int) else strides,
            (output_padding,) * rank if output_padding is None or isinstance(output_padding, int) else output_padding,
            strict=True,
        )
    )
    assert y.shape == (x_shape[0], *expected, k_shape[-2])
    z = rng.standard_normal(y.shape)
    back = np.asarray(ops.conv(z, kernel, strides, padding, dilation_rate=dilation))
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(back * x), np.sum(z * y), rtol=1e-10)


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, output_padding, dilation", CASES)
def test_conv_transpose_gradients(x_shape, k_shape, strides, padding, output_padding, dilation):
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    gradient_check(
        lambda a, k: ops.conv_transpose(a, k, strides, padding, output_padding, dilation_rate=dilation), x, kernel
    )


def test_keras_output_sizes():
    assert transposed_output_size(5, 3, 2, 1, "valid", None) == 11  # (n - 1) * s + k
    assert transposed_output_size(5, 2, 3, 1, "valid", None) == 15  # (n - 1) * s + max(k, s)
    assert transposed_output_size(5, 3, 2, 1, "same", None) == 10  # n * s
    assert transposed_output_size(5, 3, 2, 1, "same", 0) == 9  # (n - 1) * s + k % 2 + p
    assert transposed_output_size(5, 3, 1, 2, "valid", None) == 9  # dilated span 5
    assert transposed_output_size(None, 3, 2, 1, "valid", None) is None


@pytest.mark.parametrize(
    "x_shape, k_shape, kwargs, match",
    [
        ((1, 4, 4, 2), (3, 3, 1, 3), {}, "input channels"),
        ((1, 4, 4, 2), (3, 3, 1, 2), {"padding": "causal"}, "padding"),
        ((1, 4, 4, 2), (3, 3, 1, 2), {"data_format": "channels_first"}, "channels_last"),
        ((4, 4, 2), (3, 3, 1, 2), {}, "rank"),
        ((1, 4, 4, 2), (3, 3, 1, 2), {"strides": 0}, "strides"),
        ((1, 4, 4, 2), (2, 2, 1, 2), {"strides": 2, "padding": "same", "output_padding": 0}, "convolve back"),
    ],
)
def test_conv_transpose_bad_arguments(x_shape, k_shape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ops.conv_transpose(np.zeros(x_shape), np.zeros(k_shape), **kwargs)
