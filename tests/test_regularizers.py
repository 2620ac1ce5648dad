"""Weight regularizers: l1, l2, l1_l2 penalties, defaults, gradients and identifiers."""

import numpy as np
import pytest

from npkeras import layers, ops, regularizers
from npkeras.autograd import GradientTape, Variable

W = np.array([[0.5, -1.5, 2.0], [-0.25, 0.0, 3.0]])


def test_l1_penalty():
    assert float(regularizers.L1(0.1)(W)) == pytest.approx(0.1 * np.abs(W).sum())
    assert float(regularizers.l1(0.1)(W)) == pytest.approx(0.1 * np.abs(W).sum())


def test_l2_penalty():
    assert float(regularizers.L2(0.02)(W)) == pytest.approx(0.02 * np.square(W).sum())
    assert float(regularizers.l2(0.02)(W)) == pytest.approx(0.02 * np.square(W).sum())


def test_l1_l2_penalty():
    expected = 0.01 * np.abs(W).sum() + 0.03 * np.square(W).sum()
    assert float(regularizers.L1L2(l1=0.01, l2=0.03)(W)) == pytest.approx(expected)
    assert float(regularizers.l1_l2(l1=0.01, l2=0.03)(W)) == pytest.approx(expected)


def test_l1_and_l2_default_factor():
    assert regularizers.L1().l1 == pytest.approx(0.01)
    assert regularizers.L2().l2 == pytest.approx(0.01)
    assert float(regularizers.l2()(W)) == pytest.approx(0.01 * np.square(W).sum())


def test_l1_l2_defaults_match_keras():
    """In Keras 3 `l1_l2` is an alias of the L1L2 class, whose defaults are l1=0.0, l2=0.0."""
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.l1_l2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert float(regularizers.l1_l2()(W)) == 0.0


def test_zero_factors_give_zero_penalty():
    assert float(regularizers.L1L2()(W)) == 0.0


def test_regularizer_gradients():
    w = Variable(W, dtype="float64")
    with GradientTape() as tape:
        penalty = regularizers.L1L2(l1=0.1, l2=0.2)(w)
    grad = np.asarray(tape.gradient(penalty, w))
    np.testing.assert_allclose(grad[W != 0], (0.1 * np.sign(W) + 0.4 * W)[W != 0], rtol=1e-6)


def test_float64_penalty_keeps_full_precision():
    """Python-float factors must not be rounded to float32 when the weights are float64 (Keras's weak scalars)."""
    w = Variable(W, dtype="float64")
    penalty = regularizers.L1L2(l1=0.1, l2=0.2)(w)
    assert np.asarray(penalty).dtype == np.float64
    assert float(penalty) == pytest.approx(0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum(), rel=1e-12)


def test_negative_factor_is_an_error():
    with pytest.raises(ValueError, match="l1"):
        regularizers.L1(-0.1)
    with pytest.raises(ValueError, match="l2"):
        regularizers.L2(-0.1)


def test_get_by_name_and_config():
    assert isinstance(regularizers.get("l2"), regularizers.L2)
    assert isinstance(regularizers.get("L1"), regularizers.L1)
    reg = regularizers.get({"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.2}})
    assert (reg.l1, reg.l2) == (0.1, 0.2)
    assert regularizers.get(None) is None
    same = regularizers.L2(0.5)
    assert regularizers.get(same) is same
    with pytest.raises(ValueError, match="regularizer"):
        regularizers.get("l3")


def test_configs():
    assert regularizers.L1(0.3).get_config() == {"l1": 0.3}
    assert regularizers.L2(0.3).get_config() == {"l2": 0.3}
    assert regularizers.L1L2(0.1, 0.2).get_config() == {"l1": 0.1, "l2": 0.2}
    assert regularizers.L2.from_config({"l2": 0.4}).l2 == 0.4


def test_dense_kernel_regularizer_adds_layer_loss():
    layer = layers.Dense(2, kernel_regularizer=regularizers.L2(0.1), bias_regularizer="l1")
    layer.build((None, 3))
    layer.set_weights([W.T.astype(np.float32), np.array([1.0, -2.0], np.float32)])
    penalties = [float(p) for p in layer.losses]
    assert penalties == pytest.approx([0.1 * np.square(W).sum(), 0.01 * 3.0])
    penalty = sum(layer.losses)
    assert float(ops.convert_to_tensor(penalty)) == pytest.approx(sum(penalties))
