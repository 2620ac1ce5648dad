"""exp2, expm1, log2, log10, logaddexp, reciprocal, rsqrt: values, gradients, dtypes."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check

rng = np.random.default_rng(0)
ANY = rng.standard_normal((3, 4))
POSITIVE = rng.uniform(0.3, 3.0, (3, 4))

CASES = [
    ("exp2", ANY, np.exp2),
    ("expm1", ANY, np.expm1),
    ("log2", POSITIVE, np.log2),
    ("log10", POSITIVE, np.log10),
    ("reciprocal", POSITIVE, np.reciprocal),
    ("rsqrt", POSITIVE, lambda v: 1 / np.sqrt(v)),
]


@pytest.mark.parametrize("name, x, reference", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients(name, x, reference):
    op = getattr(ops, name)
    np.testing.assert_allclose(op(x).data, reference(x), rtol=1e-14)
    assert gradient_check(op, x)
    assert op(x.astype(np.float32)).dtype == np.float32
    assert op(np.array([1, 2])).dtype == np.float32


def test_hand_values():
    np.testing.assert_allclose(ops.log10(np.array([1000.0])).data, [3.0])
    np.testing.assert_allclose(ops.rsqrt(np.array([4.0])).data, [0.5])
    np.testing.assert_allclose(ops.expm1(np.array([1e-10])).data, [1e-10], rtol=1e-9)


def test_logaddexp():
    a, b = ANY, POSITIVE[:1] * 200  # large values: no overflow
    np.testing.assert_allclose(ops.logaddexp(a, b).data, np.logaddexp(a, b))
    assert gradient_check(ops.logaddexp, ANY, POSITIVE[:1])
    np.testing.assert_allclose(ops.logaddexp(0.0, 0.0).data, np.log(2.0), rtol=1e-6)


def test_cbrt_and_logaddexp2():
    np.testing.assert_allclose(ops.cbrt(np.array([-8.0, 27.0])).data, [-2.0, 3.0])
    assert gradient_check(ops.cbrt, ANY)
    np.testing.assert_allclose(ops.logaddexp2(ANY, POSITIVE[:1]).data, np.logaddexp2(ANY, POSITIVE[:1]))
    np.testing.assert_allclose(ops.logaddexp2(np.array([3.0]), np.array([3.0])).data, [4.0])
    assert gradient_check(ops.logaddexp2, ANY, POSITIVE[:1])
