"""diag, diagonal, trace, triu, tril: values against NumPy, gradients, bad axes."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check


def x345(seed=0):
    return np.random.default_rng(seed).standard_normal((3, 4, 5))


@pytest.mark.parametrize("offset, axis1, axis2", [(0, 0, 1), (1, 1, 2), (-2, 2, 0), (2, -1, -2)], ids=str)
def test_diagonal_and_trace(offset, axis1, axis2):
    x = x345()
    np.testing.assert_array_equal(ops.diagonal(x, offset, axis1, axis2).data, np.diagonal(x, offset, axis1, axis2))
    np.testing.assert_allclose(ops.trace(x, offset, axis1, axis2).data, np.trace(x, offset, axis1, axis2))
    assert gradient_check(lambda t: ops.diagonal(t, offset, axis1, axis2), x)
    assert gradient_check(lambda t: ops.trace(t, offset, axis1, axis2), x)


@pytest.mark.parametrize("k", [-1, 0, 2])
def test_diag_both_ways(k):
    v, m = x345(1)[0, 0, :3], x345(2)[0]
    np.testing.assert_array_equal(ops.diag(v, k).data, np.diag(v, k))
    np.testing.assert_array_equal(ops.diag(m, k).data, np.diag(m, k))
    assert gradient_check(lambda t: ops.diag(t, k), v)
    assert gradient_check(lambda t: ops.diag(t, k), m)


@pytest.mark.parametrize("k", [-1, 0, 2])
def test_triu_tril(k):
    x = x345(3)
    np.testing.assert_array_equal(ops.triu(x, k).data, np.triu(x, k))
    np.testing.assert_array_equal(ops.tril(x, k).data, np.tril(x, k))
    assert gradient_check(lambda t: ops.triu(t, k), x)
    assert gradient_check(lambda t: ops.tril(t, k), x)


def test_errors():
    with pytest.raises(ValueError, match="rank"):
        ops.diagonal(np.zeros(3))
    with pytest.raises(np.exceptions.AxisError, match="diagonal"):
        ops.diagonal(x345(), 0, 0, 3)
    with pytest.raises(ValueError, match="differ"):
        ops.trace(x345(), 0, 1, -2)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        ops.diag(x345())
    with pytest.raises(ValueError, match="rank"):
        ops.triu(np.zeros(3))


@pytest.mark.parametrize("k", [-1, 0, 2])
def test_diagflat(k):
    m = x345(4)[0, :2, :2]
    np.testing.assert_array_equal(ops.diagflat(m, k).data, np.diagflat(m, k))
    assert gradient_check(lambda t: ops.diagflat(t, k), m)
