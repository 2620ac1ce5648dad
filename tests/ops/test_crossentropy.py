"""keras.ops-style binary/categorical/sparse_categorical_crossentropy: unreduced values, gradients, errors."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check

rng = np.random.default_rng(0)
LOGITS = rng.standard_normal((3, 4))
TARGET = rng.uniform(0, 1, (3, 4))


def test_categorical_matches_keras_docstring_numbers():
    target = np.eye(3)
    output = np.array([[0.9, 0.05, 0.05], [0.05, 0.89, 0.06], [0.05, 0.01, 0.94]])
    np.testing.assert_allclose(
        ops.categorical_crossentropy(target, output).data, [0.10536, 0.11653, 0.06188], atol=1e-5
    )
    np.testing.assert_allclose(ops.categorical_crossentropy(target, target).data, 0.0, atol=1e-6)


def test_values_by_hand():
    p = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)
    want = -(TARGET * np.log(p)).sum(-1)
    np.testing.assert_allclose(ops.categorical_crossentropy(TARGET, LOGITS, from_logits=True).data, want)
    np.testing.assert_allclose(ops.categorical_crossentropy(TARGET, ops.softmax(LOGITS)).data, want)
    labels = np.array([0, 3, 1])
    want = -np.log(p[np.arange(3), labels])
    np.testing.assert_allclose(ops.sparse_categorical_crossentropy(labels, LOGITS, from_logits=True).data, want)
    np.testing.assert_allclose(ops.sparse_categorical_crossentropy(labels[:, None], p).data, want)
    s = 1 / (1 + np.exp(-LOGITS))
    want = -(TARGET * np.log(s) + (1 - TARGET) * np.log(1 - s))
    np.testing.assert_allclose(ops.binary_crossentropy(TARGET, LOGITS, from_logits=True).data, want)
    np.testing.assert_allclose(ops.binary_crossentropy(TARGET, s).data, want, rtol=1e-6)


def test_gradients():
    labels = np.array([0, 3, 1])
    probs = rng.uniform(0.1, 0.9, (3, 4))
    assert gradient_check(lambda t, x: ops.binary_crossentropy(t, x, from_logits=True), TARGET, LOGITS)
    assert gradient_check(lambda t, x: ops.binary_crossentropy(t, x), TARGET, probs)
    assert gradient_check(lambda t, x: ops.categorical_crossentropy(t, x, from_logits=True), TARGET, LOGITS)
    assert gradient_check(lambda t, x: ops.categorical_crossentropy(t, x, from_logits=True, axis=0), TARGET, LOGITS)
    assert gradient_check(lambda t, x: ops.categorical_crossentropy(t, x), TARGET, probs)
    assert gradient_check(lambda x: ops.sparse_categorical_crossentropy(labels, x, from_logits=True), LOGITS)
    assert gradient_check(lambda x: ops.sparse_categorical_crossentropy(labels, ops.softmax(x)), LOGITS)


def test_softmax_output_uses_its_logits_and_warns_on_from_logits():
    extreme = np.array([[50.0, -50.0, 0.0]])
    target = np.array([[0.0, 1.0, 0.0]])
    exact = ops.categorical_crossentropy(target, extreme, from_logits=True).data
    np.testing.assert_allclose(ops.categorical_crossentropy(target, ops.softmax(extreme)).data, exact)  # no clipping
    with pytest.warns(UserWarning, match="does not represent logits"):
        ops.binary_crossentropy(np.ones(2), ops.sigmoid(np.zeros(2)), from_logits=True)


def test_errors():
    with pytest.raises(ValueError, match="same shape"):
        ops.categorical_crossentropy(np.zeros((3, 4)), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="same rank"):
        ops.binary_crossentropy(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="target.ndim - 1"):
        ops.sparse_categorical_crossentropy(np.zeros((3, 2)), LOGITS)
    with pytest.raises(ValueError, match="outside the valid range"):
        ops.sparse_categorical_crossentropy(np.array([0, 4, 1]), LOGITS)
    with pytest.raises(ValueError, match="axis=-1"):
        ops.sparse_categorical_crossentropy(np.array([0, 1, 1, 0]), LOGITS, axis=0)
