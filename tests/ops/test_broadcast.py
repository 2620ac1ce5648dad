"""Broadcasting: sum_to by hand, and broadcast gradients through add and multiply."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check
from npkeras.ops import sum_to

PAIRS = [
    ((3, 1), (1, 4)),
    ((2, 3), (3,)),
    ((2, 3, 4), (3, 1)),
    ((2, 3, 4), (3, 4)),
    ((5, 1, 4, 1), (1, 3, 1, 2)),
]


def test_sum_to_hand_computed():
    g = np.arange(24.0).reshape(2, 3, 4)  # g[i, j, k] = 12 i + 4 j + k
    np.testing.assert_array_equal(sum_to(g, (3, 1)), [[60.0], [92.0], [124.0]])
    np.testing.assert_array_equal(sum_to(g, (4,)), [60.0, 66.0, 72.0, 78.0])
    np.testing.assert_array_equal(sum_to(g, (2, 1, 1)), [[[66.0]], [[210.0]]])
    np.testing.assert_array_equal(sum_to(g, (1, 3, 1)), [[[60.0], [92.0], [124.0]]])
    assert sum_to(g, ()) == 276.0 and sum_to(g, ()).shape == ()
    m = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(sum_to(m, (1, 3)), [[3.0, 5.0, 7.0]])
    np.testing.assert_array_equal(sum_to(m, (2, 1)), [[3.0], [12.0]])
    np.testing.assert_array_equal(sum_to(np.ones((2, 3)), (3,)), [2.0, 2.0, 2.0])
    assert sum_to(m, (2, 3)) is m


@pytest.mark.parametrize("shapes", PAIRS, ids=str)
@pytest.mark.parametrize("op", [ops.add, ops.multiply], ids=["add", "multiply"])
def test_broadcast_gradients(op, shapes):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    assert gradient_check(op, a, b)
    assert gradient_check(op, b, a)


@pytest.mark.parametrize("shapes", PAIRS, ids=str)
def test_broadcast_gradient_shapes_and_values(shapes):
    a = Tensor(np.ones(shapes[0]), requires_grad=True)
    b = Tensor(np.ones(shapes[1]), requires_grad=True)
    out = a + b
    assert out.shape == np.broadcast_shapes(shapes[0], shapes[1])
    ops.sum(out).backward()
    assert a.grad.shape == shapes[0] and b.grad.shape == shapes[1]
    np.testing.assert_array_equal(a.grad, np.full(shapes[0], out.size / a.size))
    np.testing.assert_array_equal(b.grad, np.full(shapes[1], out.size / b.size))


@pytest.mark.parametrize("op", [ops.add, ops.multiply, ops.subtract, ops.divide], ids=lambda f: f.__name__)
def test_scalar_and_array(op):
    rng = np.random.default_rng(1)
    s, x = np.array(1.5), rng.uniform(0.5, 2.0, (2, 3))
    assert gradient_check(op, s, x)
    assert gradient_check(op, x, s)


def test_python_scalar_gradient_is_summed():
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
    s = Tensor(np.array(2.0), requires_grad=True)
    ops.sum(x * s + 1.0).backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 2), 2.0))
    assert s.grad.shape == () and float(s.grad) == 10.0
