"""Activation ops: values against NumPy/Keras formulas, and gradient checks."""

import math
import warnings

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def away_from(points, shape=(3, 5), seed=0, margin=0.05):
    """Random values in [-4, 8] at least `margin` from each kink in `points`."""
    x = np.random.default_rng(seed).uniform(-4.0, 8.0, shape)
    for p in points:
        near = np.abs(x - p) < margin
        x[near] = p + margin * 2 * np.sign(x[near] - p + 1e-12)
    return x


def test_relu_values_and_gradient():
    x = away_from([0.0])
    np.testing.assert_array_equal(ops.relu(Tensor(x)).data, np.maximum(x, 0))
    assert gradient_check(ops.relu, x)


def test_relu6_values_and_gradient():
    x = away_from([0.0, 6.0], seed=1)
    np.testing.assert_array_equal(ops.relu6(Tensor(x)).data, np.clip(x, 0, 6))
    assert gradient_check(ops.relu6, x)


@pytest.mark.parametrize("slope", [0.2, 0.01])
def test_leaky_relu(slope):
    x = away_from([0.0], seed=2)
    np.testing.assert_allclose(ops.leaky_relu(Tensor(x), slope).data, np.where(x > 0, x, slope * x), rtol=1e-12)
    assert gradient_check(lambda t: ops.leaky_relu(t, negative_slope=slope), x)


def test_leaky_relu_default_slope_is_keras_0_2():
    np.testing.assert_allclose(ops.leaky_relu(np.array([-1.0, 2.0])).data, [-0.2, 2.0], rtol=1e-6)


@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu(alpha):
    x = away_from([0.0], seed=3)
    np.testing.assert_allclose(ops.elu(Tensor(x), alpha).data, np.where(x > 0, x, alpha * np.expm1(x)), rtol=1e-12)
    assert gradient_check(lambda t: ops.elu(t, alpha=alpha), x)


def test_gelu_approximate():
    x = np.random.default_rng(4).uniform(-4, 4, (3, 5))
    c = math.sqrt(2 / math.pi)
    expected = 0.5 * x * (1 + np.tanh(c * (x + 0.044715 * x**3)))
    np.testing.assert_allclose(ops.gelu(Tensor(x)).data, expected, rtol=1e-12)  # Keras default: approximate=True
    np.testing.assert_allclose(ops.gelu(Tensor(x), approximate=True).data, expected, rtol=1e-12)
    assert gradient_check(lambda t: ops.gelu(t, approximate=True), x)


def test_gelu_exact():
    x = np.random.default_rng(5).uniform(-4, 4, (3, 5))
    expected = np.array([[0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in row] for row in x])
    np.testing.assert_allclose(ops.gelu(Tensor(x), approximate=False).data, expected, rtol=1e-6, atol=1e-7)
    assert gradient_check(lambda t: ops.gelu(t, approximate=False), x, atol=1e-5)


def test_sigmoid():
    x = np.random.default_rng(6).uniform(-6, 6, (3, 5))
    np.testing.assert_allclose(ops.sigmoid(Tensor(x)).data, 1 / (1 + np.exp(-x)), rtol=1e-12)
    assert gradient_check(ops.sigmoid, x)


def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = ops.sigmoid(np.array([-1000.0, 0.0, 1000.0], dtype=np.float32))
    np.testing.assert_array_equal(y.data, [0.0, 0.5, 1.0])
    assert y.dtype == np.float32


def test_tanh():
    x = np.random.default_rng(7).uniform(-3, 3, (3, 5))
    np.testing.assert_allclose(ops.tanh(Tensor(x)).data, np.tanh(x), rtol=1e-12)
    np.testing.assert_allclose(ops.tanh(x.astype(np.float32)).data, np.tanh(x.astype(np.float32)), rtol=1e-6)
    assert ops.tanh(x.astype(np.float32)).dtype == np.float32
    assert gradient_check(ops.tanh, x)


def reference_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax(axis):
    x = np.random.default_rng(8).standard_normal((3, 4, 5))
    y = ops.softmax(Tensor(x), axis=axis)
    np.testing.assert_allclose(y.data, reference_softmax(x, axis), rtol=1e-12)
    np.testing.assert_allclose(y.data.sum(axis=axis), 1.0, rtol=1e-12)
    assert gradient_check(lambda t: ops.softmax(t, axis=axis), x)


def test_softmax_is_stable_for_large_logits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = ops.softmax(np.array([[1000.0, 0.0, -1000.0]], dtype=np.float32))
    np.testing.assert_allclose(y.data, [[1.0, 0.0, 0.0]])


def test_softmax_over_an_axis_of_size_one_warns_as_in_keras():
    with pytest.warns(UserWarning, match=r"softmax over axis -1 of a tensor of shape \(4, 1\)\. This axis has size 1"):
        y = ops.softmax(np.zeros((4, 1), np.float32))
    np.testing.assert_array_equal(y.data, np.ones((4, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ops.softmax(np.zeros((1, 4), np.float32))


@pytest.mark.parametrize("axis", [-1, 0])
def test_log_softmax(axis):
    x = np.random.default_rng(9).standard_normal((4, 5))
    y = ops.log_softmax(Tensor(x), axis=axis)
    np.testing.assert_allclose(y.data, np.log(reference_softmax(x, axis)), rtol=1e-12, atol=1e-12)
    assert gradient_check(lambda t: ops.log_softmax(t, axis=axis), x)


@pytest.mark.parametrize(
    "fn",
    [ops.relu, ops.relu6, ops.leaky_relu, ops.elu, ops.gelu, ops.sigmoid, ops.tanh, ops.softmax, ops.log_softmax],
    ids=lambda f: f.__name__,
)
def test_float32_in_float32_out_and_float32_gradient(fn):
    x = Tensor(np.array([[-1.5, 0.5, 2.0, 7.0]], dtype=np.float32), requires_grad=True)
    y = fn(x)
    assert y.dtype == np.float32
    ops.sum(y * np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)).backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("name", ["softplus", "softsign", "silu", "selu"])
def test_more_activations_pass_gradient_check(name):
    x = np.random.default_rng(3).normal(scale=3.0, size=(3, 4))
    assert gradient_check(getattr(ops, name), x)


def test_more_activation_values():
    x = np.array([-30.0, -2.0, 0.0, 1.5, 30.0])
    np.testing.assert_allclose(ops.softplus(x).data, np.logaddexp(0, x), rtol=1e-12)
    np.testing.assert_allclose(ops.softsign(x).data, x / (1 + np.abs(x)))
    np.testing.assert_allclose(ops.silu(x).data, x / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(ops.hard_sigmoid(x).data, np.clip(x / 6 + 0.5, 0, 1))
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    np.testing.assert_allclose(ops.selu(x).data, scale * np.where(x > 0, x, alpha * np.expm1(x)), rtol=1e-12)
    assert gradient_check(ops.hard_sigmoid, np.array([[-4.0, -1.0, 0.5, 2.9, 3.5]]))


def test_logsumexp_log1p_var_std():
    x = np.random.default_rng(4).normal(size=(3, 5))
    np.testing.assert_allclose(ops.logsumexp(x, axis=1).data, np.log(np.exp(x).sum(axis=1)), rtol=1e-12)
    np.testing.assert_allclose(ops.logsumexp(x).data, np.log(np.exp(x).sum()), rtol=1e-12)
    np.testing.assert_allclose(ops.var(x, axis=0).data, x.var(axis=0), rtol=1e-12)
    np.testing.assert_allclose(ops.std(x, axis=1, keepdims=True).data, x.std(axis=1, keepdims=True), rtol=1e-12)
    for fn in (lambda t: ops.logsumexp(t, axis=1), lambda t: ops.var(t, axis=0), lambda t: ops.log1p(t * t)):
        assert gradient_check(fn, x)
