"""cumsum and cumprod: values against NumPy, gradients (with zeros for cumprod), axes and dtypes."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def x345(seed=0):
    return np.random.default_rng(seed).standard_normal((3, 4, 5))


@pytest.mark.parametrize("axis", [None, 0, 1, -1], ids=str)
def test_cumsum(axis):
    x = x345()
    np.testing.assert_allclose(ops.cumsum(x, axis).data, np.cumsum(x, axis))
    assert gradient_check(lambda t: ops.cumsum(t, axis), x)


@pytest.mark.parametrize("axis", [None, 0, 1, -1], ids=str)
def test_cumprod(axis):
    x = x345(1)
    np.testing.assert_allclose(ops.cumprod(x, axis).data, np.cumprod(x, axis))
    assert gradient_check(lambda t: ops.cumprod(t, axis), x)


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_cumprod_gradient_with_zeros(axis):
    x = x345(2)
    x[0, 1, 2] = x[1, 2, 0] = x[1, 0, 0] = x[2, 3, 4] = x[2, 1, 4] = 0.0  # single and repeated zeros
    assert gradient_check(lambda t: ops.cumprod(t, axis), x)


def test_cumprod_gradient_by_hand():
    x = Tensor(np.array([2.0, 0.0, 3.0, 4.0]), requires_grad=True)
    ops.sum(ops.cumprod(x)).backward()
    # outputs: 2, 0, 0, 0 -> d/dx0 = 1; d/dx1 = 2 + 2*3 + 2*3*4 = 32; later inputs only meet the zero
    np.testing.assert_array_equal(x.grad, [1.0, 32.0, 0.0, 0.0])


def test_dtypes_and_errors():
    assert ops.cumsum(np.array([True, False, True])).data.tolist() == [1, 1, 2]
    assert ops.cumsum(np.array([1, 2]), dtype="float32").dtype == np.float32
    assert ops.cumprod(np.ones(3, np.float32)).dtype == np.float32
    with pytest.raises(np.exceptions.AxisError, match="cumsum"):
        ops.cumsum(x345(), axis=3)
    with pytest.raises(np.exceptions.AxisError, match="cumprod"):
        ops.cumprod(x345(), axis=-4)


def test_trapezoid():
    y = x345(3)
    np.testing.assert_allclose(ops.trapezoid(y).data, np.trapezoid(y))
    np.testing.assert_allclose(ops.trapezoid(y, dx=0.5, axis=0).data, np.trapezoid(y, dx=0.5, axis=0))
    x = np.sort(np.random.default_rng(4).uniform(0, 3, 4))
    np.testing.assert_allclose(ops.trapezoid(y, x, axis=1).data, np.trapezoid(y, x, axis=1))
    np.testing.assert_allclose(ops.trapezoid(np.array([1.0, 2.0, 3.0])).data, 4.0)
    assert gradient_check(lambda s, t: ops.trapezoid(s, t, axis=1), y, x)
