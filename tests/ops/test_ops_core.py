"""stop_gradient, is_tensor, dtype, unstack, slice, slice_update, scatter, scatter_update."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def x345(seed=0):
    return np.random.default_rng(seed).standard_normal((3, 4, 5))


def test_stop_gradient_is_tensor_dtype():
    x = Tensor(np.ones(2), requires_grad=True)
    y = ops.add(ops.multiply(x, 2.0), ops.stop_gradient(ops.multiply(x, 5.0)))
    ops.sum(y).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    assert ops.is_tensor(x) and not ops.is_tensor(np.ones(2))
    assert ops.dtype(x) == "float64" and ops.dtype(np.array([1], np.int32)) == "int32"


def test_unstack():
    x = x345()
    parts = ops.unstack(x, axis=1)
    assert len(parts) == 4
    np.testing.assert_array_equal(parts[2].data, x[:, 2])
    assert gradient_check(lambda t: ops.unstack(t, axis=-1)[3], x)
    with pytest.raises(ValueError, match="num"):
        ops.unstack(x, num=2)


def test_slice_and_slice_update():
    x = x345(1)
    np.testing.assert_array_equal(ops.slice(x, [1, 0, 2], [2, -1, 3]).data, x[1:3, :, 2:5])
    assert gradient_check(lambda t: ops.slice(t, [1, 0, 2], [2, -1, 3]), x)
    u = np.random.default_rng(2).standard_normal((2, 2, 2))
    want = x.copy()
    want[1:3, 1:3, 3:5] = u
    np.testing.assert_array_equal(ops.slice_update(x, [1, 1, 3], u).data, want)
    assert gradient_check(lambda t, v: ops.slice_update(t, [1, 1, 3], v), x, u)
    with pytest.raises(ValueError, match="fit"):
        ops.slice_update(x, [2, 0, 0], u)
    with pytest.raises(ValueError, match="one index per axis"):
        ops.slice(x, [0, 0], [1, 1])


def test_scatter_adds_repeated_indices():
    idx = np.array([[0, 1], [2, 3], [0, 1]])
    values = np.random.default_rng(3).standard_normal((3, 5))
    want = np.zeros((3, 4, 5))
    np.add.at(want, (idx[:, 0], idx[:, 1]), values)
    np.testing.assert_allclose(ops.scatter(idx, values, (3, 4, 5)).data, want)
    assert gradient_check(lambda v: ops.scatter(idx, v, (3, 4, 5)), values)
    np.testing.assert_array_equal(ops.scatter([[1], [3]], [1.0, 2.0], (4,)).data, [0, 1, 0, 2])


def test_scatter_update_last_update_wins():
    x = x345(4)
    idx = np.array([[0, 1], [2, 3], [0, 1]])
    updates = np.random.default_rng(5).standard_normal((3, 5))
    want = x.copy()
    want[idx[:, 0], idx[:, 1]] = updates
    np.testing.assert_array_equal(ops.scatter_update(x, idx, updates).data, want)
    np.testing.assert_array_equal(want[0, 1], updates[2])
    assert gradient_check(lambda t, u: ops.scatter_update(t, idx, u), x, updates)
    with pytest.raises(IndexError, match="out of range"):
        ops.scatter_update(x, [[3, 0]], updates[:1])
    with pytest.raises(ValueError, match="do not match"):
        ops.scatter_update(x, idx, updates[:2])


def test_get_item_select_saturate_cast():
    x = x345(6)
    np.testing.assert_array_equal(ops.get_item(x, (1, slice(0, 2))).data, x[1, 0:2])
    conds, choices = [x > 0.5, x < -0.5], [x, ops.multiply(x, 2.0)]
    np.testing.assert_array_equal(ops.select(conds, choices, -1.0).data, np.select(conds, [x, 2 * x], -1.0))
    assert gradient_check(lambda t: ops.select([x > 0.5, x < -0.5], [t, ops.multiply(t, 2.0)], 0.0), x)
    with pytest.raises(ValueError, match="same length"):
        ops.select([x > 0], [x, x])
    np.testing.assert_array_equal(ops.saturate_cast(np.array([-5.0, 300.0, 7.6]), "uint8").data, [0, 255, 7])
    np.testing.assert_array_equal(ops.saturate_cast(np.array([-200, 300]), "int8").data, [-128, 127])
    assert ops.saturate_cast(np.array([1e40]), "float32").data[0] == np.finfo(np.float32).max


def test_view():
    x = np.array([1.0, -2.0], np.float32)
    np.testing.assert_array_equal(ops.view(x, "int32").data, x.view(np.int32))
    np.testing.assert_array_equal(ops.view(x).data, x)
    assert ops.view(np.array([1], np.int64), "uint8").shape == (8,)
