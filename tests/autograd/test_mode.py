"""no_grad / enable_grad / set_grad_enabled."""

import numpy as np
import pytest

import npkeras
from npkeras import autograd, ops
from npkeras.autograd import Tensor


def test_no_grad_builds_no_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with autograd.no_grad():
        y = ops.exp(x) * 2.0
        assert not autograd.is_grad_enabled()
    assert y.creator is None
    assert y.requires_grad is False
    np.testing.assert_allclose(y.data, 2 * np.exp([1.0, 2.0]))
    assert autograd.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(KeyError):
        with autograd.no_grad():
            raise KeyError("boom")
    assert autograd.is_grad_enabled()


def test_enable_grad_inside_no_grad_records():
    x = Tensor(np.array([1.0]), requires_grad=True)
    with autograd.no_grad():
        with autograd.enable_grad():
            y = x * 3.0
        z = x * 3.0
    assert y.creator is not None and y.requires_grad
    assert z.creator is None


def test_set_grad_enabled_false():
    x = Tensor(np.array([1.0]), requires_grad=True)
    with autograd.set_grad_enabled(False):
        y = x + 1.0
    assert y.creator is None


def test_inference_calls_build_no_graph_outside_a_tape():
    layer = npkeras.layers.Dense(3)
    out = layer(np.ones((2, 4), "float32"))
    assert out.creator is None and not out.requires_grad
    with npkeras.GradientTape():
        recorded = layer(np.ones((2, 4), "float32"))
    assert recorded.creator is not None


def test_a_tape_does_not_see_variable_ops_made_before_it():
    v = npkeras.Variable(np.array([1.0, 2.0], "float32"))
    before = v * 2.0
    with npkeras.GradientTape() as tape:
        loss = npkeras.ops.sum(before * 3.0) + npkeras.ops.sum(v)
    np.testing.assert_allclose(tape.gradient(loss, v).numpy(), [1.0, 1.0])


def test_tensors_that_ask_for_grad_record_without_a_tape():
    x = npkeras.Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = npkeras.ops.sum(x * x)
    y.backward()
    np.testing.assert_allclose(x.grad, [2.0, 4.0])
