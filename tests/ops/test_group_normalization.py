"""GroupNorm: values against a NumPy reshape-and-normalize, and gradient checks with and without gamma/beta."""

import numpy as np

from npkeras.autograd import Tensor, gradient_check
from npkeras.ops.group_normalization import group_normalization


def numpy_group_norm(x, groups, gamma, beta, epsilon):
    n, c = x.shape[0], x.shape[-1]
    g = x.reshape(n, -1, groups, c // groups)
    mean = g.mean(axis=(1, 3), keepdims=True)
    var = g.var(axis=(1, 3), keepdims=True)
    return ((g - mean) / np.sqrt(var + epsilon)).reshape(x.shape) * gamma + beta


def test_group_norm_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 6)) * 3 + 1
    gamma, beta = rng.standard_normal(6), rng.standard_normal(6)
    y = group_normalization(Tensor(x), 3, Tensor(gamma), Tensor(beta), epsilon=1e-3).data
    np.testing.assert_allclose(y, numpy_group_norm(x, 3, gamma, beta, 1e-3), rtol=1e-10)


def test_group_norm_along_a_middle_axis_matches_numpy_on_the_moved_axis():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 5))
    y = group_normalization(Tensor(x), 2, axis=1, epsilon=1e-5).data
    expected = numpy_group_norm(np.moveaxis(x, 1, -1), 2, 1.0, 0.0, 1e-5)
    np.testing.assert_allclose(y, np.moveaxis(expected, -1, 1), rtol=1e-10)


def test_group_norm_gradients():
    rng = np.random.default_rng(2)
    x, gamma, beta = rng.standard_normal((2, 3, 6)), rng.standard_normal(6), rng.standard_normal(6)
    assert gradient_check(lambda t, g, b: group_normalization(t, 2, g, b), x, gamma, beta)
    assert gradient_check(lambda t, g: group_normalization(t, 3, gamma=g), x, gamma)
    assert gradient_check(lambda t, b: group_normalization(t, 6, beta=b, axis=-1), x, beta)
    assert gradient_check(lambda t: group_normalization(t, 1, axis=1), rng.standard_normal((2, 3, 2, 2)))
