"""Every new loss is differentiable: gradient_check (central differences, float64) with respect to y_pred."""

import numpy as np
import pytest

from npkeras import losses, ops
from npkeras.autograd import gradient_check

RNG = np.random.default_rng(3)
BINARY = (RNG.random((4, 3)) < 0.5).astype(np.float64)
PROBS = RNG.uniform(0.1, 0.9, (4, 3))
LOGITS = RNG.normal(size=(4, 3)) * 1.5
ONEHOT = np.eye(3)[[0, 2, 1, 2]]
SOFTMAX = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)
REG_T, REG_P = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
POS_T, POS_P = RNG.poisson(2.0, (4, 3)).astype(np.float64), RNG.uniform(0.3, 3.0, (4, 3))
MASKS = (RNG.random((2, 3, 3, 1)) < 0.5).astype(np.float64)
MASK_P = RNG.uniform(0.05, 0.95, (2, 3, 3, 1))

CASES = [
    ("hinge", lambda p: losses.hinge(2 * BINARY - 1, p), LOGITS),
    ("hinge_binary", lambda p: losses.hinge(BINARY, p), LOGITS),
    ("squared_hinge", lambda p: losses.squared_hinge(BINARY, p), LOGITS),
    ("categorical_hinge", lambda p: losses.categorical_hinge(ONEHOT, p), LOGITS),
    ("kl_divergence", lambda p: losses.kl_divergence(SOFTMAX[::-1], p), SOFTMAX),
    ("poisson", lambda p: losses.poisson(POS_T, p), POS_P),
    ("cosine_similarity", lambda p: losses.cosine_similarity(REG_T, p), REG_P),
    ("cosine_similarity_axis0", lambda p: losses.cosine_similarity(REG_T, p, axis=0), REG_P),
    ("mape", lambda p: losses.mean_absolute_percentage_error(REG_T, p), REG_P),
    ("msle", lambda p: losses.mean_squared_logarithmic_error(POS_T, p), POS_P),
    ("log_cosh", lambda p: losses.log_cosh(REG_T, p), REG_P),
    ("dice", lambda p: losses.dice(MASKS, p), MASK_P),
    ("dice_axis", lambda p: losses.dice(MASKS, p, axis=[1, 2, 3]), MASK_P),
    ("tversky", lambda p: losses.tversky(MASKS, p, alpha=0.3, beta=0.7), MASK_P),
    ("binary_focal", lambda p: losses.binary_focal_crossentropy(BINARY, p), PROBS),
    (
        "binary_focal_balanced_smoothed",
        lambda p: losses.binary_focal_crossentropy(BINARY, p, apply_class_balancing=True, label_smoothing=0.1),
        PROBS,
    ),
    ("binary_focal_logits", lambda p: losses.binary_focal_crossentropy(BINARY, p, from_logits=True), LOGITS),
    ("binary_focal_on_sigmoid", lambda z: losses.binary_focal_crossentropy(BINARY, ops.sigmoid(z)), LOGITS),
    ("categorical_focal", lambda p: losses.categorical_focal_crossentropy(ONEHOT, p), SOFTMAX),
    ("categorical_focal_logits", lambda p: losses.categorical_focal_crossentropy(ONEHOT, p, from_logits=True), LOGITS),
]


@pytest.mark.parametrize("fn, y_pred", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_loss_gradient_check_wrt_y_pred(float64, fn, y_pred):
    assert gradient_check(fn, y_pred)


def test_hinge_data_is_away_from_the_kink():
    """Guards the data above: no margin 1 - y * p sits at 0, where max(., 0) has no derivative."""
    for labels in (2 * BINARY - 1, BINARY * 2 - 1):
        assert np.abs(1 - labels * LOGITS).min() > 1e-3


def test_hand_values():
    """A few values worked by hand from Keras's formulas."""
    np.testing.assert_allclose(np.asarray(losses.hinge([[0.0, 1.0]], [[0.5, 0.25]])), [(1.5 + 0.75) / 2])
    np.testing.assert_allclose(np.asarray(losses.squared_hinge([[-1.0, 1.0]], [[0.5, 2.0]])), [1.125])
    np.testing.assert_allclose(np.asarray(losses.categorical_hinge([[0.0, 1.0, 0.0]], [[0.3, 0.6, 0.5]])), [0.9])
    np.testing.assert_allclose(np.asarray(losses.poisson([[2.0]], [[1.0]])), [1.0 - 2.0 * np.log(1.0 + 1e-7)])
    np.testing.assert_allclose(np.asarray(losses.mape([[2.0, -4.0]], [[1.0, -3.0]])), [37.5], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(losses.cosine_similarity([[1.0, 0.0]], [[3.0, 3.0]])), [-np.sqrt(0.5)])
    np.testing.assert_allclose(np.asarray(losses.log_cosh([[0.0]], [[2.0]])), [np.log(np.cosh(2.0))], rtol=1e-6)
    np.testing.assert_allclose(float(losses.dice([[1.0, 0.0]], [[0.5, 0.5]])), 1 - 1.0 / (2.0 + 1e-7), rtol=1e-6)
    np.testing.assert_allclose(
        np.asarray(losses.kld([[0.5, 0.5]], [[0.25, 0.75]])), [0.5 * np.log(2) + 0.5 * np.log(2 / 3)], rtol=1e-6
    )
