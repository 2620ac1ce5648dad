"""sort, argsort, argpartition, top_k, quantile, median, searchsorted, digitize."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def x345(seed=0):
    return np.random.default_rng(seed).standard_normal((3, 4, 5))


@pytest.mark.parametrize("axis", [-1, 0, 1, None], ids=str)
def test_sort_and_argsort(axis):
    x = x345()
    np.testing.assert_array_equal(ops.sort(x, axis).data, np.sort(x, axis))
    np.testing.assert_array_equal(ops.argsort(x, axis).data, np.argsort(x, axis, kind="stable"))
    assert gradient_check(lambda t: ops.sort(t, axis), x)


def test_sort_gradient_follows_the_values():
    x = Tensor(np.array([3.0, 1.0, 2.0]), requires_grad=True)
    ops.sum(ops.multiply(ops.sort(x), np.array([10.0, 20.0, 30.0]))).backward()
    np.testing.assert_array_equal(x.grad, [30.0, 10.0, 20.0])


def test_argpartition():
    x = x345(1)
    idx = ops.argpartition(x, 2).data
    part = np.take_along_axis(x, idx, -1)
    assert np.all(part[..., :2] <= part[..., 2:3]) and np.all(part[..., 3:] >= part[..., 2:3])


@pytest.mark.parametrize("sorted_", [True, False])
def test_top_k(sorted_):
    x = x345(2)
    values, indices = ops.top_k(x, 3, sorted=sorted_)
    assert indices.dtype == np.int32
    np.testing.assert_array_equal(np.take_along_axis(x, indices.data, -1), values.data)
    if sorted_:
        np.testing.assert_array_equal(values.data, -np.sort(-x, -1)[..., :3])
    else:
        np.testing.assert_array_equal(np.sort(values.data, -1), np.sort(-np.sort(-x, -1)[..., :3], -1))
    assert gradient_check(lambda t: ops.top_k(t, 3, sorted=sorted_)[0], x)


def test_top_k_ties_keep_lower_index_first_and_errors():
    values, indices = ops.top_k(np.array([1.0, 3.0, 3.0, 2.0]), 2)
    assert values.data.tolist() == [3.0, 3.0] and indices.data.tolist() == [1, 2]
    with pytest.raises(ValueError, match="k"):
        ops.top_k(np.zeros(3), 4)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis", [None, 1, (0, 2), -1], ids=str)
@pytest.mark.parametrize("q", [0.3, [0.1, 0.5, 1.0], [[0.2], [0.7]]], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_quantile_matches_numpy(method, axis, q, keepdims):
    x = x345(3)
    want = np.quantile(x, q, axis=axis, method=method, keepdims=keepdims)
    got = ops.quantile(x, q, axis=axis, method=method, keepdims=keepdims)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-12)


@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, True), ((0, 2), False), (-1, True)], ids=str)
def test_quantile_and_median_gradients(axis, keepdims):
    x = x345(4)
    assert gradient_check(lambda t: ops.quantile(t, [0.25, 0.6], axis=axis, keepdims=keepdims), x)
    assert gradient_check(lambda t: ops.median(t, axis=axis, keepdims=keepdims), x)
    np.testing.assert_allclose(ops.median(x, axis, keepdims).data, np.median(x, axis, keepdims=keepdims))


def test_quantile_errors():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ops.quantile(x345(), 1.5)
    with pytest.raises(ValueError, match="method"):
        ops.quantile(x345(), 0.5, method="cubic")
    with pytest.raises(np.exceptions.AxisError, match="quantile"):
        ops.quantile(x345(), 0.5, axis=3)
    assert ops.median(np.array([1, 2, 3, 4])).data == 2.5  # integers become floats


def test_searchsorted_and_digitize():
    bins = np.array([0.0, 1.0, 2.0])
    np.testing.assert_array_equal(ops.digitize(np.array([-1.0, 0.0, 0.5, 2.0, 3.0]), bins).data, [0, 1, 1, 3, 3])
    assert ops.digitize(np.array([0.5]), bins).dtype == np.int32
    np.testing.assert_array_equal(ops.searchsorted(bins, np.array([1.0]), side="right").data, [2])
    np.testing.assert_array_equal(ops.searchsorted(bins, np.array([1.0])).data, [1])
    with pytest.raises(ValueError, match="bins"):
        ops.digitize(np.zeros(2), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="side"):
        ops.searchsorted(bins, 1.0, side="middle")


@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, True), ((0, 2), False)], ids=str)
def test_percentile(axis, keepdims):
    x = x345(5)
    want = np.percentile(x, [10, 50, 90], axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(ops.percentile(x, [10, 50, 90], axis=axis, keepdims=keepdims).data, want)
    assert gradient_check(lambda t: ops.percentile(t, 40, axis=axis, keepdims=keepdims), x)
    with pytest.raises(ValueError, match="100"):
        ops.percentile(x, 120)


def test_in_top_k():
    predictions = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.9, 0.05, 0.05]])
    np.testing.assert_array_equal(ops.in_top_k(np.array([2, 0, 1]), predictions, 2).data, [True, True, True])
    np.testing.assert_array_equal(ops.in_top_k(np.array([0, 1, 0]), predictions, 1).data, [False, False, True])
    with pytest.raises(ValueError, match="targets"):
        ops.in_top_k(np.array([0]), predictions, 1)


def test_unique():
    x = np.array([3, 1, 3, 2, 1])
    np.testing.assert_array_equal(ops.unique(x).data, [1, 2, 3])
    values, index, inverse, counts = ops.unique(x, return_index=True, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(index.data, [1, 3, 0])
    np.testing.assert_array_equal(values.data[inverse.data], x)
    np.testing.assert_array_equal(counts.data, [2, 1, 2])
    np.testing.assert_array_equal(ops.unique(x, size=5, fill_value=-1).data, [1, 2, 3, -1, -1])
    np.testing.assert_array_equal(ops.unique(x, size=2).data, [1, 2])
