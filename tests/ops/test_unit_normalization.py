"""L2Normalize / normalize: values against NumPy, the epsilon floor, and gradient checks."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check
from npkeras.ops.unit_normalization import L2Normalize, normalize


def test_normalize_matches_numpy_along_one_or_several_axes():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    np.testing.assert_allclose(normalize(Tensor(x)).data, x / np.linalg.norm(x, axis=-1, keepdims=True))
    norm = np.sqrt((x * x).sum(axis=(1, 2), keepdims=True))
    np.testing.assert_allclose(normalize(Tensor(x), axis=(1, 2)).data, x / norm)
    np.testing.assert_allclose(ops.normalize(Tensor(x), axis=1).data, normalize(Tensor(x), axis=1).data)


def test_a_tiny_vector_is_scaled_by_one_over_epsilon_and_zero_stays_zero():
    x = np.array([[3e-9, 4e-9], [0.0, 0.0]])
    y = L2Normalize(-1, epsilon=1e-7)(Tensor(x)).data
    np.testing.assert_allclose(y, x / 1e-7)
    assert gradient_check(lambda t: L2Normalize(-1, epsilon=1e-7)(t), x, eps=1e-11, rtol=1e-4)  # dy/dx = 1 / epsilon


def test_normalize_gradients():
    x = np.random.default_rng(1).standard_normal((3, 4, 2))
    assert gradient_check(lambda t: normalize(t, axis=-1), x)
    assert gradient_check(lambda t: normalize(t, axis=(1, 2)), x)
    assert gradient_check(lambda t: normalize(t, axis=0), x)


def test_only_order_two_is_supported():
    with pytest.raises(ValueError, match="order=1"):
        normalize(Tensor(np.ones(3)), order=1)
