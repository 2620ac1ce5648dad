"""sum, mean, max, min (gradients for every axis form) and argmax/argmin."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check

AXES = [None, 0, 1, -1, (0, 2), (-1, 0), (0, 1, 2)]


def distinct(shape, seed=0):
    """Values that are pairwise at least 0.1 apart, so max/min are unique and stable."""
    r = np.random.default_rng(seed)
    n = int(np.prod(shape))
    return (r.permutation(n) * 0.1 + r.uniform(0, 0.01, n)).reshape(shape) - n * 0.05


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize(
    "name, op, ref",
    [("sum", ops.sum, np.sum), ("mean", ops.mean, np.mean), ("max", ops.max, np.max), ("min", ops.min, np.min)],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_reduction_values_and_gradients(name, op, ref, axis, keepdims):
    x = distinct((2, 3, 4), seed=1)
    out = op(Tensor(x), axis=axis, keepdims=keepdims)
    expected = ref(x, axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    assert out.dtype == np.float64  # a float64 input keeps its dtype, also when every axis is reduced
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    assert gradient_check(lambda t: op(t, axis=axis, keepdims=keepdims), x)


def test_keras_signature_positional_axis_keepdims():
    x = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(ops.sum(x, 1, True).data, x.sum(1, keepdims=True))
    np.testing.assert_allclose(ops.mean(x, 0).data, x.mean(0))
    assert ops.sum(x).dtype == np.float32 and ops.mean(x).dtype == np.float32
    assert ops.mean(x, axis=(0, 1)).shape == ()


def test_mean_gradient_is_one_over_count():
    x = Tensor(np.ones((2, 5)), requires_grad=True)
    ops.mean(x, axis=1).backward(np.array([1.0, 2.0]))
    np.testing.assert_allclose(x.grad, [[0.2] * 5, [0.4] * 5])


def test_max_ties_share_the_gradient():
    x = Tensor(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]), requires_grad=True)
    ops.sum(ops.max(x, axis=1)).backward()
    np.testing.assert_allclose(x.grad, [[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    y = Tensor(np.array([4.0, 1.0, 1.0]), requires_grad=True)
    ops.min(y).backward()
    np.testing.assert_allclose(y.grad, [0.0, 0.5, 0.5])


def test_max_min_initial():
    x = np.array([1.0, -2.0, 3.0])
    assert float(ops.max(x, initial=5.0)) == 5.0
    assert float(ops.min(x, initial=-5.0)) == -5.0
    assert float(ops.max(np.zeros((0,)), initial=1.0)) == 1.0
    with pytest.raises(ValueError):
        ops.max(np.zeros((0,)))


def test_argmax_argmin_match_numpy():
    x = distinct((3, 5), seed=2)
    for axis in (None, 0, 1, -1):
        np.testing.assert_array_equal(np.asarray(ops.argmax(x, axis=axis)), np.argmax(x, axis=axis))
        np.testing.assert_array_equal(np.asarray(ops.argmin(x, axis=axis)), np.argmin(x, axis=axis))
    assert ops.argmax(x, axis=1, keepdims=True).shape == (3, 1)
    assert np.asarray(ops.argmax(Tensor(x), axis=1)).dtype.kind == "i"


@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, True), ((0, -1), False), (-1, False)], ids=str)
def test_prod_values_and_gradient(axis, keepdims):
    x = np.random.default_rng(7).standard_normal((3, 4, 5))
    np.testing.assert_allclose(ops.prod(x, axis, keepdims).data, np.prod(x, axis, keepdims=keepdims))
    assert gradient_check(lambda t: ops.prod(t, axis, keepdims), x)


def test_prod_gradient_with_zeros():
    x = np.random.default_rng(8).standard_normal((3, 4, 5))
    x[0, 0, 0] = x[1, 1, 1] = x[1, 1, 2] = 0.0  # one zero in a row, two zeros in another
    assert gradient_check(lambda t: ops.prod(t, -1), x)
    t = Tensor(np.array([2.0, 0.0, 3.0]), requires_grad=True)
    ops.prod(t).backward()
    np.testing.assert_array_equal(t.grad, [0.0, 6.0, 0.0])
    assert ops.prod(np.array([True, True])).data == 1
    assert ops.prod(np.array([1, 2]), dtype="float32").dtype == np.float32


def test_average():
    x = np.random.default_rng(9).standard_normal((3, 4))
    w = np.random.default_rng(10).uniform(0.5, 1.0, (4,))
    w2 = np.random.default_rng(11).uniform(0.5, 1.0, (3, 4))
    np.testing.assert_allclose(ops.average(x).data, np.average(x))
    np.testing.assert_allclose(ops.average(x, axis=1, weights=w).data, np.average(x, 1, w))
    np.testing.assert_allclose(ops.average(x, weights=w2).data, np.average(x, weights=w2))
    assert gradient_check(lambda t, u: ops.average(t, axis=-1, weights=u), x, w)
    assert gradient_check(lambda t, u: ops.average(t, axis=0, weights=u), x, w2)
    with pytest.raises(ValueError, match="weights"):
        ops.average(x, axis=0, weights=w)


def test_amax_amin():
    x = np.random.default_rng(12).standard_normal((3, 4))
    np.testing.assert_array_equal(ops.amax(x, axis=0).data, np.amax(x, axis=0))
    np.testing.assert_array_equal(ops.amin(x, keepdims=True).data, np.amin(x, keepdims=True))


def test_ptp():
    x = np.random.default_rng(13).standard_normal((3, 4))
    np.testing.assert_allclose(ops.ptp(x).data, np.ptp(x))
    np.testing.assert_allclose(ops.ptp(x, axis=1, keepdims=True).data, np.ptp(x, axis=1, keepdims=True))
    assert gradient_check(lambda t: ops.ptp(t, axis=0), x)
