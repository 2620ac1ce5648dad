"""take, take_along_axis, segment_sum/max/min: values against NumPy, gradients, bad arguments."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def x345(seed=0):
    return np.random.default_rng(seed).standard_normal((3, 4, 5))


@pytest.mark.parametrize(
    "indices, axis",
    [([0, 2, 2], 0), ([[1, 3], [3, -1]], 1), ([4, 0, 4, 4], -1), ([0, 59, 7, 7], None), (2, 1)],
    ids=str,
)
def test_take_values_and_gradient(indices, axis):
    x = x345()
    np.testing.assert_array_equal(ops.take(x, np.array(indices), axis=axis).data, np.take(x, indices, axis=axis))
    assert gradient_check(lambda t: ops.take(t, np.array(indices), axis=axis), x)


def test_take_gradient_accumulates_repeated_indices():
    table = Tensor(np.zeros((3, 2)), requires_grad=True)
    ops.sum(ops.take(table, np.array([2, 0, 2, 2]), axis=0)).backward()
    np.testing.assert_array_equal(table.grad, [[1, 1], [0, 0], [3, 3]])


def test_take_errors():
    with pytest.raises(np.exceptions.AxisError, match="take"):
        ops.take(x345(), np.array([0]), axis=3)
    with pytest.raises(IndexError, match="out of range"):
        ops.take(x345(), np.array([4]), axis=0)
    with pytest.raises(ValueError, match="integers"):
        ops.take(x345(), np.array([0.5]), axis=0)


@pytest.mark.parametrize("axis", [0, 1, -1, None], ids=str)
def test_take_along_axis_values_and_gradient(axis):
    x = x345(1)
    rng = np.random.default_rng(2)
    if axis is None:
        idx = rng.integers(0, x.size, (7,))
    else:
        shape = list(x.shape)
        shape[axis] = 6
        idx = rng.integers(0, x.shape[axis], shape)
    np.testing.assert_array_equal(ops.take_along_axis(x, idx, axis=axis).data, np.take_along_axis(x, idx, axis))
    assert gradient_check(lambda t: ops.take_along_axis(t, idx, axis=axis), x)


def test_take_along_axis_broadcasts_indices():
    x = x345(3)
    idx = np.array([[[0], [3]]])  # (1, 2, 1) against (3, 4, 5) along axis 1
    out = ops.take_along_axis(x, idx, axis=1)
    np.testing.assert_array_equal(out.data, np.take_along_axis(x, np.broadcast_to(idx, (3, 2, 5)), 1))
    assert gradient_check(lambda t: ops.take_along_axis(t, idx, axis=1), x)


def test_take_along_axis_rank_error():
    with pytest.raises(ValueError, match="rank"):
        ops.take_along_axis(x345(), np.array([0, 1]), axis=0)


def test_segment_sum_values_and_gradient():
    data = np.random.default_rng(4).standard_normal((6, 2, 3))
    ids = np.array([0, 0, 2, 2, 2, 1])
    expected = np.stack([data[:2].sum(0), data[5], data[2:5].sum(0), np.zeros((2, 3))])
    np.testing.assert_allclose(ops.segment_sum(data, ids, num_segments=4).data, expected)
    assert ops.segment_sum(data, ids).shape == (3, 2, 3)
    assert gradient_check(lambda t: ops.segment_sum(t, ids, num_segments=4), data)


def test_segment_sum_drops_ids_past_num_segments():
    out = ops.segment_sum(np.array([1.0, 2.0, 4.0]), np.array([0, 1, 1]), num_segments=1)
    np.testing.assert_array_equal(out.data, [1.0])


def test_segment_max_min_values_and_gradients():
    data = np.random.default_rng(5).standard_normal((6, 3))
    ids = np.array([1, 0, 1, 2, 2, 0])
    np.testing.assert_allclose(
        ops.segment_max(data, ids).data, np.stack([np.max(data[ids == s], axis=0) for s in range(3)])
    )
    np.testing.assert_allclose(
        ops.segment_min(data, ids).data, np.stack([np.min(data[ids == s], axis=0) for s in range(3)])
    )
    assert gradient_check(lambda t: ops.segment_max(t, ids), data)
    assert gradient_check(lambda t: ops.segment_min(t, ids), data)


def test_segment_max_ties_share_and_empty_segments_fill_lowest():
    data = Tensor(np.array([2.0, 2.0, 1.0]), requires_grad=True)
    out = ops.segment_max(data, np.array([0, 0, 2]), num_segments=3)
    assert out.data[1] == np.finfo(np.float64).min
    ops.sum(ops.multiply(out, np.array([1.0, 0.0, 1.0]))).backward()
    np.testing.assert_array_equal(data.grad, [0.5, 0.5, 1.0])


def test_segment_errors():
    with pytest.raises(ValueError, match="one id per row"):
        ops.segment_sum(np.zeros((3, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match="non-negative"):
        ops.segment_max(np.zeros(2), np.array([0, -1]))


def test_unravel_index():
    rows, cols = ops.unravel_index(np.array([5, 7, 0]), (2, 4))
    np.testing.assert_array_equal(rows.data, [1, 1, 0])
    np.testing.assert_array_equal(cols.data, [1, 3, 0])
    with pytest.raises(ValueError, match="indices"):
        ops.unravel_index(np.array([8]), (2, 4))


def test_segment_prod_values_and_gradients():
    data = np.random.default_rng(6).standard_normal((6, 3))
    ids = np.array([1, 0, 1, 2, 2, 0])
    want = np.stack([np.prod(data[ids == s], axis=0) for s in range(3)] + [np.ones(3)])  # empty segment: 1
    np.testing.assert_allclose(ops.segment_prod(data, ids, num_segments=4).data, want)
    assert gradient_check(lambda t: ops.segment_prod(t, ids, num_segments=4), data)
    data[0, 0] = data[3, 1] = data[4, 1] = 0.0  # one zero in a segment, and two in another
    np.testing.assert_allclose(
        ops.segment_prod(data, ids).data, np.stack([np.prod(data[ids == s], axis=0) for s in range(3)])
    )
    assert gradient_check(lambda t: ops.segment_prod(t, ids), data)
