"""real, imag, conj, angle on real tensors."""

import numpy as np

from npkeras import ops
from npkeras.autograd import gradient_check


def test_parts_of_real_tensors():
    x = np.array([-1.5, 0.0, 2.0])
    np.testing.assert_array_equal(ops.real(x).data, x)
    np.testing.assert_array_equal(ops.conj(x).data, x)
    np.testing.assert_array_equal(ops.conjugate(x).data, x)
    np.testing.assert_array_equal(ops.imag(x).data, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(ops.angle(x).data, np.angle(x))
    assert ops.angle(np.array([1])).dtype == np.float32
    assert gradient_check(lambda t: ops.multiply(ops.real(t), ops.conj(t)), x)
