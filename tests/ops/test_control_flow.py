"""cond, switch, while_loop, fori_loop, map, vectorized_map, scan, associative_scan; gradients through them."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check


def test_cond_and_switch():
    assert ops.cond(ops.greater(2, 1), lambda: "yes", lambda: "no") == "yes"
    assert ops.cond(np.array(False), lambda: "yes", lambda: "no") == "no"
    branches = [lambda a: a + 1, lambda a: a * 10]
    assert ops.switch(0, branches, 2) == 3 and ops.switch(1, branches, 2) == 20
    assert ops.switch(7, branches, 2) == 20 and ops.switch(-1, branches, 2) == 3  # clamped


def test_while_loop_and_fori_loop():
    assert ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (0, 0)) == (5, 10)
    assert ops.while_loop(lambda i: i < 100, lambda i: i + 1, 0, maximum_iterations=7) == 7
    assert ops.fori_loop(0, 4, lambda i, v: v * 2, 1) == 16
    x = np.random.default_rng(0).standard_normal(3)
    assert gradient_check(lambda t: ops.fori_loop(0, 3, lambda i, v: ops.multiply(v, t), t), x)


def test_map_and_vectorized_map():
    x = np.random.default_rng(1).standard_normal((4, 3))
    np.testing.assert_allclose(ops.map(lambda t: ops.sum(ops.square(t)), x).data, (x**2).sum(1))
    np.testing.assert_allclose(ops.vectorized_map(lambda t: ops.flip(t, 0), x).data, x[:, ::-1])
    pair = ops.map(lambda t: (t[0], ops.multiply(t[1], 2.0)), (x, x))
    np.testing.assert_allclose(pair[1].data, 2 * x)
    assert gradient_check(lambda t: ops.map(lambda r: ops.sum(ops.exp(r)), t), x)


def test_scan():
    x = np.random.default_rng(2).standard_normal((4, 3))
    carry, ys = ops.scan(lambda c, t: (ops.add(c, t), ops.multiply(c, 2.0)), np.zeros(3), x)
    np.testing.assert_allclose(carry.data, x.sum(0))
    np.testing.assert_allclose(ys.data, 2 * np.concatenate([np.zeros((1, 3)), np.cumsum(x, 0)[:-1]]))
    carry, ys = ops.scan(lambda c, t: (ops.add(c, t), c), np.zeros(3), x, reverse=True)
    np.testing.assert_allclose(ys.data[0], x[1:].sum(0))
    assert ops.scan(lambda c, _: (c + 1, None), 0, length=3) == (3, None)
    assert gradient_check(lambda t: ops.scan(lambda c, s: (ops.multiply(c, s), c), ops.ones((3,), "float64"), t)[1], x)
    with pytest.raises(ValueError, match="length"):
        ops.scan(lambda c, t: (c, t), 0)


def test_associative_scan():
    x = np.random.default_rng(3).standard_normal((4, 3))
    np.testing.assert_allclose(ops.associative_scan(ops.add, x).data, np.cumsum(x, 0))
    np.testing.assert_allclose(
        ops.associative_scan(ops.add, x, reverse=True, axis=1).data, np.cumsum(x[:, ::-1], 1)[:, ::-1]
    )
    np.testing.assert_allclose(ops.associative_scan(ops.maximum, x, axis=1).data, np.maximum.accumulate(x, 1))
    assert gradient_check(lambda t: ops.associative_scan(ops.multiply, t, axis=1), x)
