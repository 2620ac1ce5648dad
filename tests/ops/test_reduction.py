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
