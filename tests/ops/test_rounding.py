"""floor, ceil, round, trunc, mod, floor_divide: values against NumPy; mod's gradient."""

import numpy as np

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def test_rounding_values():
    x = np.array([-2.5, -1.5, -0.4, 0.5, 1.5, 2.567])
    for name in ("floor", "ceil", "trunc"):
        np.testing.assert_array_equal(getattr(ops, name)(x).data, getattr(np, name)(x))
    np.testing.assert_array_equal(ops.round(x).data, [-2.0, -2.0, -0.0, 0.0, 2.0, 3.0])  # half to even
    np.testing.assert_allclose(ops.round(x, decimals=1).data, np.round(x, 1))
    assert ops.floor(np.array([1, 2])).dtype == np.float32
    assert ops.round(np.array([1, 2])).dtype == np.array([1, 2]).dtype


def test_rounding_carries_no_gradient():
    out = ops.floor(Tensor(np.array([1.5]), requires_grad=True))
    assert out.creator is None and not out.requires_grad


def test_mod_and_floor_divide_follow_python_signs():
    a, b = np.array([5, -5, 5, -5]), np.array([3, 3, -3, -3])
    np.testing.assert_array_equal(ops.mod(a, b).data, [2, 1, -1, -2])
    np.testing.assert_array_equal(ops.floor_divide(a, b).data, [1, -2, -2, 1])
    assert ops.mod(np.array([5, 7]), 3).data.tolist() == [2, 1]
    assert ops.mod(np.array([5, 7]), 3).dtype == np.array([5]).dtype
    np.testing.assert_allclose(ops.mod(np.array([5.5]), 2.0).data, [1.5])


def test_mod_gradient():
    rng = np.random.default_rng(0)
    a = rng.uniform(-3, 3, (3, 4))
    b = rng.uniform(0.5, 2, (4,)) * np.array([1, -1, 1, -1])
    assert gradient_check(ops.mod, a, b)
