"""NaN-ignoring reductions against NumPy's nan* functions; gradients reach the valid entries only."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def with_nans(seed=0):
    x = np.random.default_rng(seed).standard_normal((3, 4, 5))
    x[0, 1, 2] = x[2, 0, 0] = x[1, 1, 1] = np.nan
    return x


def with_empty_slices():
    x = with_nans(1)
    x[1, 2, :] = np.nan  # an all-NaN slice along the last axis
    x[2, :, 3] = np.nan  # and along axis 1
    return x


REDUCTIONS = ["nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd", "nanmedian"]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis", [None, 1, (0, 2), -1], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_numpy(name, axis, keepdims):
    x = with_empty_slices()
    want = getattr(np, name)(x, axis=axis, keepdims=keepdims)
    got = getattr(ops, name)(x, axis=axis, keepdims=keepdims)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, equal_nan=True, rtol=1e-12)


@pytest.mark.parametrize("name", REDUCTIONS + ["nancumsum", "nancumprod"])
@pytest.mark.parametrize("axis", [None, -1], ids=str)
def test_gradients(name, axis):
    assert gradient_check(lambda t: getattr(ops, name)(t, axis), with_nans())


def test_gradient_skips_the_nans():
    x = Tensor(np.array([1.0, np.nan, 3.0]), requires_grad=True)
    ops.nanmean(x).backward()
    np.testing.assert_array_equal(x.grad, [0.5, 0.0, 0.5])


@pytest.mark.parametrize("axis", [None, 0, 1], ids=str)
def test_cumulative_and_arg(axis):
    x = with_nans(2)[0]
    np.testing.assert_allclose(ops.nancumsum(x, axis).data, np.nancumsum(x, axis))
    np.testing.assert_allclose(ops.nancumprod(x, axis).data, np.nancumprod(x, axis))
    np.testing.assert_array_equal(ops.nanargmax(x, axis).data, np.nanargmax(x, axis))
    np.testing.assert_array_equal(ops.nanargmin(x, axis).data, np.nanargmin(x, axis))
    with pytest.raises(ValueError, match="all-NaN"):
        ops.nanargmax(np.full((2, 2), np.nan), axis)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis", [None, 1, (0, 2)], ids=str)
def test_nanquantile_nanpercentile(method, axis):
    x = with_empty_slices()
    want = np.nanquantile(x, [0.2, 0.9], axis=axis, method=method)
    np.testing.assert_allclose(ops.nanquantile(x, [0.2, 0.9], axis, method).data, want, equal_nan=True)
    want = np.nanpercentile(x, 35, axis=axis, method=method)
    np.testing.assert_allclose(ops.nanpercentile(x, 35, axis, method).data, want, equal_nan=True)
    assert gradient_check(lambda t: ops.nanquantile(t, [0.3, 0.7], axis=axis, method=method), with_nans(3))
    with pytest.raises(ValueError, match="100"):
        ops.nanpercentile(x, 101)
