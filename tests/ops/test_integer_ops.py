"""gcd, lcm, bitwise ops, shifts and ldexp against NumPy."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check


def test_gcd_lcm():
    np.testing.assert_array_equal(ops.gcd(np.array([12, 18, -4]), 8).data, [4, 2, 4])
    np.testing.assert_array_equal(ops.lcm(np.array([4, 6]), np.array([6, 4])).data, [12, 12])
    with pytest.raises(ValueError, match="integer"):
        ops.gcd(np.array([1.5]), 2)


def test_bitwise_and_shifts():
    a, b = np.array([5, 12, -3], np.int32), np.array([3, 10, 1], np.int32)
    for name, ref in [("bitwise_and", np.bitwise_and), ("bitwise_or", np.bitwise_or), ("bitwise_xor", np.bitwise_xor)]:
        np.testing.assert_array_equal(getattr(ops, name)(a, b).data, ref(a, b))
    np.testing.assert_array_equal(ops.bitwise_invert(a).data, np.invert(a))
    np.testing.assert_array_equal(ops.bitwise_not(a).data, np.invert(a))
    np.testing.assert_array_equal(ops.left_shift(a, 2).data, a << 2)
    np.testing.assert_array_equal(ops.bitwise_right_shift(a, 1).data, a >> 1)
    np.testing.assert_array_equal(ops.bitwise_and(np.array([True, False]), True).data, [True, False])


def test_ldexp():
    np.testing.assert_array_equal(ops.ldexp(np.array([1.5, 3.0]), np.array([3, -1])).data, [12.0, 1.5])
    x = np.random.default_rng(0).standard_normal((2, 3))
    assert gradient_check(lambda t: ops.ldexp(t, np.array([2, 0, -1])), x)
    with pytest.raises(ValueError, match="integers"):
        ops.ldexp(x, 0.5)
