"""HeadProjection: MultiHeadAttention's projections into heads and back, as Keras's EinsumDense computes them."""

import numpy as np
import pytest

from npkeras import GradientTape, ops
from npkeras.autograd import gradient_check
from npkeras.layers.head_projection import HeadProjection

RNG = np.random.default_rng(0)


def test_into_heads_is_einsum_abc_cde_abde():
    layer = HeadProjection((2, 3), True)
    x = RNG.standard_normal((4, 5, 6)).astype("float32")
    y = np.asarray(layer(x))
    kernel, bias = layer.get_weights()
    assert kernel.shape == (6, 2, 3) and bias.shape == (2, 3)
    layer.set_weights([kernel, RNG.standard_normal((2, 3)).astype("float32")])
    expected = np.einsum("abc,cde->abde", x, kernel) + layer.bias.data
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-6)
    assert y.shape == (4, 5, 2, 3)


def test_out_of_heads_is_einsum_abcd_cde_abe_without_bias():
    layer = HeadProjection((7,), False, use_bias=False)
    x = RNG.standard_normal((4, 5, 2, 3)).astype("float32")
    y = np.asarray(layer(x))
    (kernel,) = layer.get_weights()
    assert kernel.shape == (2, 3, 7)
    np.testing.assert_allclose(y, np.einsum("abcd,cde->abe", x, kernel), rtol=1e-5, atol=1e-6)


def test_gradients_reach_input_kernel_and_bias(float64):
    layer = HeadProjection((2, 2), True)
    x = RNG.standard_normal((2, 3, 4))
    layer(x)
    layer.set_weights([RNG.standard_normal((4, 2, 2)), RNG.standard_normal((2, 2))])
    gradient_check(lambda x: layer(x), x)
    upstream = RNG.standard_normal((2, 3, 2, 2))
    with GradientTape() as tape:
        loss = ops.sum(layer(x) * upstream)
    g_kernel, g_bias = tape.gradient(loss, [layer.kernel, layer.bias])
    np.testing.assert_allclose(np.asarray(g_kernel), np.einsum("abc,abde->cde", x, upstream), rtol=1e-10)
    np.testing.assert_allclose(np.asarray(g_bias), upstream.sum(axis=(0, 1)), rtol=1e-10)


def test_a_wrong_input_size_names_the_layer():
    layer = HeadProjection((2, 3), True, name="query")
    layer(np.zeros((1, 2, 4), "float32"))
    with pytest.raises(ValueError, match=r'"query" expects inputs ending in \(4,\)'):
        layer(np.zeros((1, 2, 5), "float32"))
