"""divide_no_nan, nan_to_num, fmod, heaviside, fabs."""

import numpy as np

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def test_divide_no_nan():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 4)), rng.uniform(0.5, 2.0, (4,)) * np.array([1, -1, 0, 1])
    out = ops.divide_no_nan(a, b).data
    np.testing.assert_array_equal(out[:, 2], 0.0)
    np.testing.assert_allclose(out[:, [0, 1, 3]], (a / b)[:, [0, 1, 3]])
    assert gradient_check(lambda t: ops.divide_no_nan(t, b), a)
    nonzero = np.abs(b) + 0.5
    assert gradient_check(ops.divide_no_nan, a, nonzero)
    x, y = Tensor(np.array([1.0, 2.0]), requires_grad=True), Tensor(np.array([0.0, 4.0]), requires_grad=True)
    ops.sum(ops.divide_no_nan(x, y)).backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.25])
    np.testing.assert_array_equal(y.grad, [0.0, -2.0 / 16])


def test_nan_to_num():
    x = np.array([1.0, np.nan, np.inf, -np.inf])
    np.testing.assert_array_equal(ops.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0).data, [1, -1, 9, -9])
    np.testing.assert_array_equal(ops.nan_to_num(x).data, np.nan_to_num(x))
    t = Tensor(x, requires_grad=True)
    ops.sum(ops.nan_to_num(t)).backward()
    np.testing.assert_array_equal(t.grad, [1.0, 0.0, 0.0, 0.0])


def test_fmod_heaviside_fabs():
    rng = np.random.default_rng(1)
    a, b = rng.uniform(-5, 5, (3, 4)), rng.uniform(0.5, 2.0, (4,)) * np.array([1, -1, 1, -1])
    np.testing.assert_allclose(ops.fmod(a, b).data, np.fmod(a, b))
    assert gradient_check(ops.fmod, a, b)
    np.testing.assert_array_equal(ops.heaviside(np.array([-1.0, 0.0, 2.0]), 0.5).data, [0.0, 0.5, 1.0])
    assert ops.fabs(np.array([-1, 2])).dtype == np.float32
    np.testing.assert_array_equal(ops.fabs(np.array([-1.5, 2.0])).data, [1.5, 2.0])


def test_fmax_fmin_skip_nans():
    a = np.array([1.0, np.nan, 3.0, np.nan])
    b = np.array([2.0, 5.0, np.nan, np.nan])
    np.testing.assert_array_equal(ops.fmax(a, b).data, np.fmax(a, b))
    np.testing.assert_array_equal(ops.fmin(a, b).data, np.fmin(a, b))
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal(4)
    assert gradient_check(ops.fmax, x, y)
    assert gradient_check(ops.fmin, x, y)
    s, t = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    ops.nansum(ops.fmax(s, t)).backward()
    np.testing.assert_array_equal(s.grad, [0.0, 0.0, 1.0, 0.0])  # both NaN: the output is NaN, nansum skips it
    np.testing.assert_array_equal(t.grad, [1.0, 1.0, 0.0, 0.0])
