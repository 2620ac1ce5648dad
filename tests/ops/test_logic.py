"""isnan/isinf/isfinite/isclose, logical_not/xor, any/all, count_nonzero, nonzero, bincount."""

import numpy as np
import pytest

from npkeras import ops


def test_float_tests():
    x = np.array([1.0, np.nan, np.inf, -np.inf])
    np.testing.assert_array_equal(ops.isnan(x).data, [False, True, False, False])
    np.testing.assert_array_equal(ops.isinf(x).data, [False, False, True, True])
    np.testing.assert_array_equal(ops.isfinite(x).data, [True, False, False, False])
    np.testing.assert_array_equal(ops.isclose(np.array([1.0, 1.1]), 1.0).data, [True, False])


def test_logical_not_xor():
    a, b = np.array([True, True, False, False]), np.array([True, False, True, False])
    np.testing.assert_array_equal(ops.logical_not(a).data, [False, False, True, True])
    np.testing.assert_array_equal(ops.logical_xor(a, b).data, [False, True, True, False])


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_any_all(axis, keepdims):
    x = np.array([[0, 1, 0], [0, 2, 3]])
    np.testing.assert_array_equal(ops.any(x, axis, keepdims).data, np.any(x, axis, keepdims=keepdims))
    np.testing.assert_array_equal(ops.all(x, axis, keepdims).data, np.all(x, axis, keepdims=keepdims))


def test_count_nonzero_and_nonzero():
    x = np.array([[0, 1, 0], [0, 2, 3]])
    assert ops.count_nonzero(x).data == 3
    np.testing.assert_array_equal(ops.count_nonzero(x, axis=0).data, [0, 2, 1])
    np.testing.assert_array_equal(ops.count_nonzero(x, axis=(0, -1)).data, 3)
    assert ops.count_nonzero(x).dtype == np.int32
    rows, cols = ops.nonzero(x)
    np.testing.assert_array_equal(rows.data, [0, 1, 1])
    np.testing.assert_array_equal(cols.data, [1, 1, 2])


def test_bad_axes():
    with pytest.raises(np.exceptions.AxisError, match="any"):
        ops.any(np.zeros((2, 2)), axis=2)
    with pytest.raises(np.exceptions.AxisError, match="count_nonzero"):
        ops.count_nonzero(np.zeros((2, 2)), axis=-3)
    with pytest.raises(ValueError, match="repeated axis"):
        ops.all(np.zeros((2, 2)), axis=(0, -2))


def test_bincount():
    np.testing.assert_array_equal(ops.bincount(np.array([0, 1, 1, 3])).data, [1, 2, 0, 1])
    assert ops.bincount(np.array([0, 1])).dtype == np.int32
    np.testing.assert_allclose(
        ops.bincount(np.array([0, 3]), weights=np.array([0.5, 1.0], np.float32), minlength=5).data,
        [0.5, 0, 0, 1, 0],
    )
    np.testing.assert_array_equal(ops.bincount(np.array([[0, 1, 1], [2, 2, 2]])).data, [[1, 2, 0], [0, 0, 3]])
    with pytest.raises(ValueError, match="non-negative"):
        ops.bincount(np.array([-1, 0]))
    with pytest.raises(ValueError, match="integer"):
        ops.bincount(np.array([0.5]))


def test_sign_and_membership_tests():
    x = np.array([-np.inf, -0.0, 0.0, 2.0, np.inf])
    np.testing.assert_array_equal(ops.isneginf(x).data, np.isneginf(x))
    np.testing.assert_array_equal(ops.isposinf(x).data, np.isposinf(x))
    np.testing.assert_array_equal(ops.signbit(x).data, [True, True, False, False, False])
    np.testing.assert_array_equal(ops.isreal(x).data, [True] * 5)
    np.testing.assert_array_equal(ops.isin(np.array([1, 2, 3]), [2, 5]).data, [False, True, False])
    np.testing.assert_array_equal(ops.isin(np.array([1, 2]), [2], invert=True).data, [True, False])
    assert ops.allclose([1.0, 2.0], [1.0, 2.0 + 1e-9]) is True
    assert ops.allclose([1.0], [1.1]) is False


def test_histogram():
    counts, edges = ops.histogram(np.array([0.0, 1.0, 1.0, 2.0, 5.0]), bins=5)
    want_counts, want_edges = np.histogram(np.array([0.0, 1.0, 1.0, 2.0, 5.0]), bins=5)
    np.testing.assert_array_equal(counts.data, want_counts)
    np.testing.assert_allclose(edges.data, want_edges)
    counts, _ = ops.histogram(np.array([0.5, 1.5]), bins=2, range=(0, 4))
    np.testing.assert_array_equal(counts.data, [2, 0])
    with pytest.raises(ValueError, match="1-D"):
        ops.histogram(np.zeros((2, 2)))
