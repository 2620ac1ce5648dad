"""Trigonometric and hyperbolic ops, arctan2 and hypot: values, gradients, integer inputs."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check

rng = np.random.default_rng(0)
INSIDE = rng.uniform(-0.9, 0.9, (3, 4))  # the domain of arcsin, arccos, arctanh
ABOVE_ONE = rng.uniform(1.2, 3.0, (3, 4))  # the domain of arccosh

UNARY = [
    ("sin", INSIDE * 3),
    ("cos", INSIDE * 3),
    ("tan", INSIDE),
    ("arcsin", INSIDE),
    ("arccos", INSIDE),
    ("arctan", INSIDE * 3),
    ("sinh", INSIDE * 2),
    ("cosh", INSIDE * 2),
    ("arcsinh", INSIDE * 3),
    ("arccosh", ABOVE_ONE),
    ("arctanh", INSIDE),
]


@pytest.mark.parametrize("name, x", UNARY, ids=[n for n, _ in UNARY])
def test_unary_values_and_gradients(name, x):
    op = getattr(ops, name)
    np.testing.assert_allclose(op(x).data, getattr(np, name)(x), rtol=1e-14)
    assert gradient_check(op, x)


@pytest.mark.parametrize("name", [n for n, _ in UNARY])
def test_integer_inputs_become_floatx(name):
    x = np.array([1, 2]) if name == "arccosh" else np.array([0])
    out = getattr(ops, name)(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, getattr(np, name)(x.astype(np.float32)))


def test_arctan2_and_hypot():
    y, x = rng.standard_normal((3, 4)), rng.uniform(0.5, 2.0, (4,)) * np.array([1, -1, 1, -1])
    np.testing.assert_allclose(ops.arctan2(y, x).data, np.arctan2(y, x))
    np.testing.assert_allclose(ops.hypot(y, x).data, np.hypot(y, x))
    assert gradient_check(ops.arctan2, y, x)
    assert gradient_check(ops.hypot, y, x)
    assert ops.arctan2(np.array([1]), np.array([1])).dtype == np.float32
    assert ops.hypot(np.float32(3.0), 4).data == np.float32(5.0)


def test_sinc_deg2rad_rad2deg():
    x = np.concatenate([rng.standard_normal(11), [0.0]]).reshape(3, 4)
    np.testing.assert_allclose(ops.sinc(x).data, np.sinc(x))
    assert ops.sinc(np.array([0.0])).data[0] == 1.0
    assert gradient_check(ops.sinc, x)
    np.testing.assert_allclose(ops.deg2rad(np.array([180.0, 90.0])).data, [np.pi, np.pi / 2])
    np.testing.assert_allclose(ops.rad2deg(x).data, np.rad2deg(x))
    assert gradient_check(ops.deg2rad, x) and gradient_check(ops.rad2deg, x)
    assert ops.deg2rad(np.array([180])).dtype == np.float32
