"""Fused cross-entropy ops: values against the unfused formulas, gradients, stability."""

import numpy as np
import pytest

from npkeras.autograd import Tensor, gradient_check
from npkeras.ops.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy, SparseSoftmaxCrossEntropy


def log_softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 5), (1, 2)], ids=str)
def test_sparse_softmax_cross_entropy(shape):
    r = np.random.default_rng(0)
    logits = r.standard_normal(shape)
    labels = r.integers(0, shape[-1], shape[:-1])
    loss = SparseSoftmaxCrossEntropy(labels)(Tensor(logits))
    expected = -np.take_along_axis(log_softmax(logits), labels[..., None], axis=-1)[..., 0]
    assert loss.shape == shape[:-1]
    np.testing.assert_allclose(loss.data, expected, rtol=1e-12)
    assert gradient_check(lambda z: SparseSoftmaxCrossEntropy(labels)(z), logits)


def test_sparse_softmax_cross_entropy_gradient_values():
    logits = Tensor(np.zeros((2, 4)), requires_grad=True)
    loss = SparseSoftmaxCrossEntropy(np.array([1, 3]))(logits)
    loss.backward(np.array([1.0, 2.0]))
    np.testing.assert_allclose(logits.grad, [[0.25, -0.75, 0.25, 0.25], [0.5, 0.5, 0.5, -1.5]])
    np.testing.assert_allclose(loss.data, [np.log(4), np.log(4)])


def test_sparse_softmax_cross_entropy_float32_and_stable():
    logits = np.array([[1000.0, -1000.0, 0.0]], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = SparseSoftmaxCrossEntropy(np.array([1]))(Tensor(logits))
    assert loss.dtype == np.float32
    np.testing.assert_allclose(loss.data, [2000.0], rtol=1e-6)


@pytest.mark.parametrize("axis, shape", [(-1, (5, 4)), (0, (4, 3)), (-1, (2, 3, 4))], ids=str)
def test_softmax_cross_entropy(axis, shape):
    r = np.random.default_rng(1)
    logits = r.standard_normal(shape)
    raw = r.uniform(0.1, 1.0, shape)
    target = raw / raw.sum(axis=axis, keepdims=True)
    loss = SoftmaxCrossEntropy(axis)(Tensor(logits), Tensor(target))
    np.testing.assert_allclose(loss.data, -(target * log_softmax(logits, axis)).sum(axis=axis), rtol=1e-12)
    assert gradient_check(lambda z, t: SoftmaxCrossEntropy(axis)(z, t), logits, target)


def test_softmax_cross_entropy_unnormalised_target_gradient():
    # The gradient with respect to the logits is softmax * sum(t) - t, also when sum(t) != 1.
    r = np.random.default_rng(2)
    logits, target = r.standard_normal((3, 4)), r.uniform(0, 2, (3, 4))
    assert gradient_check(lambda z, t: SoftmaxCrossEntropy()(z, t), logits, target)


def test_softmax_cross_entropy_matches_sparse_with_one_hot():
    r = np.random.default_rng(3)
    logits, labels = r.standard_normal((6, 5)), r.integers(0, 5, 6)
    dense = SoftmaxCrossEntropy()(Tensor(logits), Tensor(np.eye(5)[labels]))
    sparse = SparseSoftmaxCrossEntropy(labels)(Tensor(logits))
    np.testing.assert_allclose(dense.data, sparse.data, rtol=1e-12)


@pytest.mark.parametrize("shape", [(4, 3), (7,)], ids=str)
def test_sigmoid_cross_entropy(shape):
    r = np.random.default_rng(4)
    logits, target = r.uniform(-4, 4, shape), r.uniform(0, 1, shape)
    p = 1 / (1 + np.exp(-logits))
    expected = -(target * np.log(p) + (1 - target) * np.log(1 - p))
    loss = SigmoidCrossEntropy()(Tensor(logits), Tensor(target))
    np.testing.assert_allclose(loss.data, expected, rtol=1e-10)
    assert gradient_check(lambda z, t: SigmoidCrossEntropy()(z, t), logits, target)


def test_sigmoid_cross_entropy_is_stable_for_large_logits():
    logits = np.array([1000.0, -1000.0, 1000.0, -1000.0], dtype=np.float32)
    target = np.array([1.0, 0.0, 0.0, 1.0], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = SigmoidCrossEntropy()(Tensor(logits), Tensor(target))
    assert loss.dtype == np.float32
    np.testing.assert_allclose(loss.data, [0.0, 0.0, 1000.0, 1000.0], atol=1e-6)


def test_constant_targets_get_no_gradient():
    logits = Tensor(np.zeros((2, 3)), requires_grad=True)
    target = Tensor(np.full((2, 3), 1 / 3))
    SoftmaxCrossEntropy()(logits, target).backward(np.ones(2))
    assert target.grad is None
    np.testing.assert_allclose(logits.grad, np.zeros((2, 3)), atol=1e-15)
