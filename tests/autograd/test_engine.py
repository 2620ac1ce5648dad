"""The backward engine: topological order, accumulation, graph freeing, engine.gradients."""

import gc
import weakref

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Function, Tensor, engine


def leaf(values):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


class SplitScale(Function):
    """Two outputs: (2 * x, 3 * x)."""

    def forward(self, x):
        return 2 * x, 3 * x

    def backward(self, g1, g2):
        return 2 * g1 + 3 * g2


def test_diamond_graph_accumulates_both_paths():
    # y = x*x + exp(x): x feeds two branches which meet again.
    x = leaf([0.5, -1.0, 2.0])
    y = ops.sum(x * x + ops.exp(x))
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * x.data + np.exp(x.data), rtol=1e-12)


def test_shared_intermediate_is_backpropagated_once_with_full_gradient():
    # a = 2x is used by a long branch and a short one; its creator must run only after
    # both branches delivered their gradients (ordering by generation).
    x = leaf([1.5, -0.5])
    a = x * 2.0
    long_branch = ops.exp(ops.square(a) * 0.1)  # exp(0.1 a^2)
    y = ops.sum(long_branch + a)
    y.backward()
    av = 2 * x.data
    expected = (np.exp(0.1 * av**2) * 0.2 * av + 1.0) * 2.0
    np.testing.assert_allclose(x.grad, expected, rtol=1e-12)


def test_same_tensor_used_as_both_operands():
    x = leaf([3.0, -2.0])
    (x * x).backward(np.array([1.0, 1.0]))
    np.testing.assert_allclose(x.grad, [6.0, -4.0])
    z = leaf([1.0, 2.0])
    ops.sum(z + z + z).backward()
    np.testing.assert_allclose(z.grad, [3.0, 3.0])


def test_second_backward_raises_after_graph_freed():
    x = leaf([1.0, 2.0])
    y = ops.sum(ops.square(x))
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()


def test_retain_graph_allows_second_backward_and_leaf_grad_accumulates():
    x = leaf([1.0, 2.0, -3.0])
    y = ops.sum(ops.square(x))
    y.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad, 2 * x.data)
    y.backward()
    np.testing.assert_allclose(x.grad, 4 * x.data)


def test_leaf_grad_accumulates_across_two_graphs():
    x = leaf([1.0, -2.0])
    ops.sum(x * 3.0).backward()
    ops.sum(ops.square(x)).backward()
    np.testing.assert_allclose(x.grad, 3.0 + 2 * x.data)


def test_intermediate_tensors_are_released_after_backward():
    x = leaf(np.arange(4.0))
    h = x * 2.0
    ref = weakref.ref(h)
    y = ops.sum(h * h)
    del h
    gc.collect()
    assert ref() is not None  # still held by the graph
    y.backward()
    gc.collect()
    assert ref() is None
    assert y.creator.inputs is None


def test_explicit_output_gradient_and_shape_check():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    y = x * x
    y.backward(np.array([[1.0, 0.0], [0.5, 2.0]]))
    np.testing.assert_allclose(x.grad, [[2.0, 0.0], [3.0, 16.0]])
    z = leaf([1.0, 2.0]) * 2.0
    with pytest.raises(ValueError, match="shape"):
        z.backward(np.ones(3))


def test_gradients_none_for_unconnected_source():
    x, unused = leaf([1.0, 2.0]), leaf([5.0])
    y = ops.sum(x * x)
    gx, gu = engine.gradients(y, [x, unused])
    np.testing.assert_allclose(gx, [2.0, 4.0])
    assert gu is None
    assert x.grad is None  # engine.gradients does not touch .grad


def test_gradients_for_intermediate_tensors():
    x = leaf([1.0, 2.0, 3.0])
    h = x * 2.0  # intermediate
    s = ops.exp(h)
    y = ops.sum(s * s)  # = sum(exp(4x)), dy/dh = 2 exp(2h), dy/ds = 2 s
    gh, gs, gx = engine.gradients(y, [h, s, x])
    np.testing.assert_allclose(gh, 2 * np.exp(2 * h.data), rtol=1e-12)
    np.testing.assert_allclose(gs, 2 * s.data, rtol=1e-12)
    np.testing.assert_allclose(gx, 4 * np.exp(4 * x.data), rtol=1e-12)


def test_gradients_of_target_with_respect_to_itself():
    x = leaf([1.0, 2.0])
    y = x * 3.0
    (gy,) = engine.gradients(y, [y], output_gradient=np.array([1.0, -1.0]))
    np.testing.assert_allclose(gy, [1.0, -1.0])


def test_multi_output_function_with_one_output_unused():
    x = leaf([1.0, -1.0])
    a, b = SplitScale()(x)
    ops.sum(a).backward()
    np.testing.assert_allclose(x.grad, [2.0, 2.0])

    x2 = leaf([1.0, -1.0])
    a, b = SplitScale()(x2)
    ops.sum(a * b).backward()  # 6 x^2 -> 12 x
    np.testing.assert_allclose(x2.grad, 12 * x2.data)


def test_constants_get_no_grad():
    c = Tensor(np.array([1.0, 2.0]))
    x = leaf([3.0, 4.0])
    ops.sum(c * x).backward()
    assert c.grad is None
    np.testing.assert_allclose(x.grad, c.data)
