"""erf and erfinv: values against math.erf, gradients, the round trip."""

import math

import numpy as np

from npkeras import ops
from npkeras.autograd import gradient_check


def test_erf_values_and_gradient():
    x = np.linspace(-3.0, 3.0, 14)
    x = np.concatenate([x, [-1e-9, 1e-9, 2.49, 2.51, -4.0, 6.0]])
    np.testing.assert_allclose(ops.erf(x).data, [math.erf(v) for v in x], rtol=1e-12, atol=5e-11)
    assert gradient_check(ops.erf, x.reshape(2, -1))
    assert ops.erf(np.array([0, 1])).dtype == np.float32


def test_erfinv_inverts_erf_and_gradient():
    y = np.random.default_rng(0).uniform(-0.95, 0.95, (3, 4))
    np.testing.assert_allclose(ops.erf(ops.erfinv(y)).data, y, atol=1e-12)
    np.testing.assert_allclose(ops.erfinv(np.array([0.0, math.erf(0.5)])).data, [0.0, 0.5], atol=2e-7)
    assert gradient_check(ops.erfinv, y)


def test_erfc():
    x = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    np.testing.assert_allclose(ops.erfc(x).data, [[math.erfc(v) for v in row] for row in x], rtol=1e-9, atol=5e-11)
    assert gradient_check(ops.erfc, x)


def test_i0_and_nextafter():
    x = np.array([0.0, 0.5, 2.0, -3.0])
    np.testing.assert_allclose(ops.i0(x).data, np.i0(x))
    one = np.array([1.0], np.float32)
    assert ops.nextafter(one, np.array([2.0], np.float32)).data[0] == np.nextafter(np.float32(1), np.float32(2))
    assert ops.nextafter(one, 0.0).data[0] < 1.0
