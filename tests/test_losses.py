"""Losses against hand NumPy computations of Keras 3's TensorFlow-backend formulas."""

import warnings

import numpy as np
import pytest

from npkeras import activations, layers, losses, ops
from npkeras.autograd import gradient_check

EPS = 1e-7

# ---- NumPy references -------------------------------------------------------------------


def _log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def ref_scce(labels, probs):
    """clip, log, softmax cross-entropy: -log(clip(p)_y / sum(clip(p)))."""
    clipped = np.clip(probs, EPS, 1 - EPS)
    picked = np.take_along_axis(clipped, labels[..., None], axis=-1)[..., 0]
    return -np.log(picked / clipped.sum(axis=-1))


def ref_scce_logits(labels, logits):
    return -np.take_along_axis(_log_softmax(logits), labels[..., None], axis=-1)[..., 0]


def ref_cce(y, probs):
    """Renormalize, clip, -sum(y log p)."""
    p = np.clip(probs / probs.sum(axis=-1, keepdims=True), EPS, 1 - EPS)
    return -(y * np.log(p)).sum(axis=-1)


def ref_cce_logits(y, logits):
    return -(y * _log_softmax(logits)).sum(axis=-1)


def ref_bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(axis=-1)


def ref_bce_logits(t, z):
    return (np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))).mean(axis=-1)


def ref_mse(t, p):
    return ((p - t) ** 2).mean(axis=-1)


def ref_mae(t, p):
    return np.abs(p - t).mean(axis=-1)


def ref_huber(t, p, delta=1.0):
    e = np.abs(p - t)
    return np.where(e <= delta, 0.5 * e**2, delta * e - 0.5 * delta**2).mean(axis=-1)


RNG = np.random.default_rng(0)
LABELS = np.array([0, 2, 1, 3, 2])
LOGITS = RNG.standard_normal((5, 4)) * 2
PROBS = np.exp(_log_softmax(LOGITS))
ONE_HOT = np.eye(4)[LABELS]
SOFT_TARGETS = np.exp(_log_softmax(RNG.standard_normal((5, 4))))
BIN_T = (RNG.random((5, 3)) > 0.5).astype(np.float64)
BIN_P = RNG.uniform(0.05, 0.95, (5, 3))
BIN_Z = RNG.standard_normal((5, 3)) * 3
REG_T = RNG.standard_normal((5, 3))
REG_P = REG_T + RNG.standard_normal((5, 3)) * 1.5


def _value(x):
    return np.asarray(x, dtype=np.float64)


# ---- functions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, args, expected",
    [
        (losses.sparse_categorical_crossentropy, (LABELS, PROBS), ref_scce(LABELS, PROBS)),
        (losses.categorical_crossentropy, (ONE_HOT, PROBS), ref_cce(ONE_HOT, PROBS)),
        (losses.categorical_crossentropy, (SOFT_TARGETS, PROBS), ref_cce(SOFT_TARGETS, PROBS)),
        (losses.binary_crossentropy, (BIN_T, BIN_P), ref_bce(BIN_T, BIN_P)),
        (losses.mean_squared_error, (REG_T, REG_P), ref_mse(REG_T, REG_P)),
        (losses.mean_absolute_error, (REG_T, REG_P), ref_mae(REG_T, REG_P)),
        (losses.huber, (REG_T, REG_P), ref_huber(REG_T, REG_P)),
        (losses.mse, (REG_T, REG_P), ref_mse(REG_T, REG_P)),
        (losses.mae, (REG_T, REG_P), ref_mae(REG_T, REG_P)),
    ],
)
def test_loss_functions_match_numpy(fn, args, expected):
    got = _value(fn(*args))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)


def test_huber_delta():
    np.testing.assert_allclose(_value(losses.huber(REG_T, REG_P, delta=0.5)), ref_huber(REG_T, REG_P, 0.5), rtol=1e-6)
    # one value in each region, Keras's formula: 0.5 e^2 below delta, d |e| - 0.5 d^2 above
    np.testing.assert_allclose(_value(losses.huber(np.zeros((1, 3)), np.array([[0.5, 2.0, -3.0]]))), [1.375])


@pytest.mark.parametrize(
    "fn, args, expected",
    [
        (losses.sparse_categorical_crossentropy, (LABELS, LOGITS), ref_scce_logits(LABELS, LOGITS)),
        (losses.categorical_crossentropy, (ONE_HOT, LOGITS), ref_cce_logits(ONE_HOT, LOGITS)),
        (losses.categorical_crossentropy, (SOFT_TARGETS, LOGITS), ref_cce_logits(SOFT_TARGETS, LOGITS)),
        (losses.binary_crossentropy, (BIN_T, BIN_Z), ref_bce_logits(BIN_T, BIN_Z)),
    ],
)
def test_from_logits_paths(fn, args, expected):
    np.testing.assert_allclose(_value(fn(*args, from_logits=True)), expected, rtol=1e-6, atol=1e-9)


def test_from_logits_is_stable_for_huge_logits():
    big = np.array([[1000.0, -1000.0, 0.0]])
    np.testing.assert_allclose(_value(losses.sparse_categorical_crossentropy([1], big, from_logits=True)), [2000.0])
    np.testing.assert_allclose(
        _value(losses.categorical_crossentropy([[0.0, 1.0, 0.0]], big, from_logits=True)), [2000.0]
    )
    np.testing.assert_allclose(
        _value(losses.binary_crossentropy([[0.0, 1.0]], [[1000.0, -1000.0]], from_logits=True)), [1000.0]
    )


# ---- clipping on probabilities (keras_facts.md section 8) -------------------------------


def test_cce_renormalizes_then_clips():
    np.testing.assert_allclose(
        _value(losses.categorical_crossentropy([[0.0, 1.0]], [[0.2, 0.2]])), [0.693147], rtol=1e-6
    )


def test_scce_on_zero_probability_is_minus_log_epsilon():
    np.testing.assert_allclose(
        _value(losses.sparse_categorical_crossentropy([1], [[1.0, 0.0]])), [16.118096], rtol=1e-6
    )


def test_bce_on_saturated_probability_is_minus_log_epsilon():
    """Keras 3 TF backend: clip(p, eps, 1-eps) then -(t log p + (1-t) log(1-p)); no extra +eps inside the log."""
    got = _value(losses.binary_crossentropy(np.array([[0.0]]), np.array([[1.0]])))
    np.testing.assert_allclose(got, [16.118096], rtol=1e-6)
    got = _value(losses.binary_crossentropy(np.array([[1.0]]), np.array([[0.0]])))
    np.testing.assert_allclose(got, [16.118096], rtol=1e-6)


def test_bce_class_float32_saturated_matches_keras():
    """Measured with keras 3.13.2 (TF backend): BinaryCrossentropy()([[0.]], [[1.]]) in float32 = 15.942385."""
    got = float(losses.BinaryCrossentropy()(np.array([[0.0]], np.float32), np.array([[1.0]], np.float32)))
    assert got == pytest.approx(15.942385, rel=1e-6)


def test_scce_class_float32_saturated_matches_keras():
    got = float(losses.SparseCategoricalCrossentropy()(np.array([1]), np.array([[1.0, 0.0]], np.float32)))
    assert got == pytest.approx(16.118095, rel=1e-6)


def test_cce_clips_small_probabilities():
    probs = np.array([[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(
        _value(losses.categorical_crossentropy([[0.0, 1.0, 0.0]], probs)), [16.118096], rtol=1e-6
    )


# ---- the _keras_logits trick --------------------------------------------------------------


def test_softmax_output_uses_its_logits():
    probs = ops.softmax(np.array([[100.0, 0.0, 0.0]]))
    np.testing.assert_allclose(_value(losses.sparse_categorical_crossentropy([1], probs)), [100.0], rtol=1e-7)
    np.testing.assert_allclose(_value(losses.categorical_crossentropy([[0.0, 1.0, 0.0]], probs)), [100.0], rtol=1e-7)
    plain = np.asarray(probs).copy()
    np.testing.assert_allclose(_value(losses.sparse_categorical_crossentropy([1], plain)), [16.118096], rtol=1e-6)
    np.testing.assert_allclose(
        _value(losses.categorical_crossentropy([[0.0, 1.0, 0.0]], plain)), [16.118096], rtol=1e-6
    )


def test_activations_softmax_and_sigmoid_carry_logits():
    probs = activations.softmax(np.array([[100.0, 0.0, 0.0]]))
    assert float(losses.SparseCategoricalCrossentropy()(np.array([1]), probs)) == pytest.approx(100.0)
    out = activations.sigmoid(np.array([[50.0]]))
    np.testing.assert_allclose(_value(losses.binary_crossentropy([[0.0]], out)), [50.0], rtol=1e-7)


def test_sigmoid_output_uses_its_logits_and_plain_array_clips():
    out = ops.sigmoid(np.array([[50.0]]))
    np.testing.assert_allclose(_value(losses.binary_crossentropy([[0.0]], out)), [50.0], rtol=1e-7)
    plain = np.asarray(out).copy()
    np.testing.assert_allclose(_value(losses.binary_crossentropy([[0.0]], plain)), [16.118096], rtol=1e-6)


def test_dense_softmax_layer_output_gives_logit_loss():
    layer = layers.Dense(3, activation="softmax")
    layer.build((None, 1))
    layer.set_weights([np.array([[100.0, 0.0, 0.0]], np.float32), np.zeros(3, np.float32)])
    probs = layer(np.ones((1, 1), np.float32))
    assert float(losses.SparseCategoricalCrossentropy()(np.array([1]), probs)) == pytest.approx(100.0, rel=1e-6)
    assert float(losses.SparseCategoricalCrossentropy()(np.array([1]), np.asarray(probs))) == pytest.approx(
        16.118095, rel=1e-5
    )


def test_from_logits_true_on_softmax_output_uses_the_logits():
    """Keras's _get_logits: a softmax output has its logits used even with from_logits=True (plus a warning)."""
    probs = ops.softmax(np.array([[100.0, 0.0, 0.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = _value(losses.sparse_categorical_crossentropy([1], probs, from_logits=True))
    np.testing.assert_allclose(got, [100.0], rtol=1e-7)


def test_from_logits_true_on_softmax_output_warns():
    probs = ops.softmax(np.array([[1.0, 0.0, 0.0]]))
    with pytest.warns(UserWarning, match="from_logits=True"):
        losses.categorical_crossentropy([[0.0, 1.0, 0.0]], probs, from_logits=True)


# ---- classes, reductions, sample weights ------------------------------------------------


CLASS_CASES = [
    (losses.SparseCategoricalCrossentropy, {}, (LABELS, PROBS), ref_scce(LABELS, PROBS)),
    (losses.SparseCategoricalCrossentropy, {"from_logits": True}, (LABELS, LOGITS), ref_scce_logits(LABELS, LOGITS)),
    (losses.CategoricalCrossentropy, {}, (ONE_HOT, PROBS), ref_cce(ONE_HOT, PROBS)),
    (losses.CategoricalCrossentropy, {"from_logits": True}, (ONE_HOT, LOGITS), ref_cce_logits(ONE_HOT, LOGITS)),
    (losses.BinaryCrossentropy, {}, (BIN_T, BIN_P), ref_bce(BIN_T, BIN_P)),
    (losses.BinaryCrossentropy, {"from_logits": True}, (BIN_T, BIN_Z), ref_bce_logits(BIN_T, BIN_Z)),
    (losses.MeanSquaredError, {}, (REG_T, REG_P), ref_mse(REG_T, REG_P)),
    (losses.MeanAbsoluteError, {}, (REG_T, REG_P), ref_mae(REG_T, REG_P)),
    (losses.Huber, {}, (REG_T, REG_P), ref_huber(REG_T, REG_P)),
    (losses.Huber, {"delta": 2.0}, (REG_T, REG_P), ref_huber(REG_T, REG_P, 2.0)),
]


@pytest.mark.parametrize("cls, kwargs, args, per_sample", CLASS_CASES)
def test_loss_classes_default_reduction_is_sum_over_batch_size(cls, kwargs, args, per_sample):
    loss = cls(**kwargs)
    assert loss.reduction == "sum_over_batch_size"
    got = loss(*args)
    assert np.shape(got) == ()
    assert float(got) == pytest.approx(per_sample.mean(), rel=1e-6)


@pytest.mark.parametrize("cls, kwargs, args, per_sample", CLASS_CASES)
def test_loss_classes_reductions_and_sample_weight(cls, kwargs, args, per_sample):
    weights = np.array([1.0, 0.0, 3.0, 0.5, 2.0])
    weighted = per_sample * weights
    assert float(cls(reduction="sum", **kwargs)(*args)) == pytest.approx(per_sample.sum(), rel=1e-6)
    np.testing.assert_allclose(_value(cls(reduction="none", **kwargs)(*args)), per_sample, rtol=1e-6)
    np.testing.assert_allclose(_value(cls(reduction=None, **kwargs)(*args)), per_sample, rtol=1e-6)
    assert float(cls(**kwargs)(*args, sample_weight=weights)) == pytest.approx(weighted.mean(), rel=1e-6)
    assert float(cls(reduction="sum", **kwargs)(*args, sample_weight=weights)) == pytest.approx(
        weighted.sum(), rel=1e-6
    )
    np.testing.assert_allclose(
        _value(cls(reduction="none", **kwargs)(*args, sample_weight=weights)), weighted, rtol=1e-6
    )


def test_mean_reduction_is_sum_over_batch_size_even_with_sample_weight():
    """keras_facts.md section 8: "mean" is the same as sum_over_batch_size (divides by the element count)."""
    weights = np.array([1.0, 0.0, 3.0, 0.5, 2.0])
    per_sample = ref_scce(LABELS, PROBS)
    got = float(losses.SparseCategoricalCrossentropy(reduction="mean")(LABELS, PROBS, sample_weight=weights))
    assert got == pytest.approx((per_sample * weights).sum() / 5, rel=1e-6)


def test_mean_with_sample_weight_reduction_divides_by_weight_sum():
    weights = np.array([1.0, 0.0, 3.0, 0.5, 2.0])
    per_sample = ref_scce(LABELS, PROBS)
    loss = losses.SparseCategoricalCrossentropy(reduction="mean_with_sample_weight")
    got = float(loss(LABELS, PROBS, sample_weight=weights))
    assert got == pytest.approx((per_sample * weights).sum() / weights.sum(), rel=1e-6)


def test_keras_measured_reduction_values():
    """keras 3.13.2: SCCE on these float32 probabilities with sample_weight [1, 0, 3]."""
    y_true = np.array([0, 1, 2])
    y_pred = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]], np.float32)
    w = np.array([1.0, 0.0, 3.0])
    assert float(losses.SparseCategoricalCrossentropy()(y_true, y_pred, sample_weight=w)) == pytest.approx(
        1.0351824, rel=1e-6
    )
    assert float(losses.SparseCategoricalCrossentropy(reduction="sum")(y_true, y_pred, sample_weight=w)) == (
        pytest.approx(3.1055472, rel=1e-6)
    )


def test_sample_weight_column_vector_is_accepted():
    weights = np.array([1.0, 0.0, 3.0, 0.5, 2.0])
    loss = losses.MeanSquaredError()
    assert float(loss(REG_T, REG_P, sample_weight=weights[:, None])) == pytest.approx(
        float(loss(REG_T, REG_P, sample_weight=weights)), rel=1e-7
    )


def test_invalid_reduction():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


# ---- names, get, configs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args, per_sample",
    [
        ("mse", (REG_T, REG_P), ref_mse(REG_T, REG_P)),
        ("mean_squared_error", (REG_T, REG_P), ref_mse(REG_T, REG_P)),
        ("MeanSquaredError", (REG_T, REG_P), ref_mse(REG_T, REG_P)),
        ("mae", (REG_T, REG_P), ref_mae(REG_T, REG_P)),
        ("mean_absolute_error", (REG_T, REG_P), ref_mae(REG_T, REG_P)),
        ("huber", (REG_T, REG_P), ref_huber(REG_T, REG_P)),
        ("sparse_categorical_crossentropy", (LABELS, PROBS), ref_scce(LABELS, PROBS)),
        ("categorical_crossentropy", (ONE_HOT, PROBS), ref_cce(ONE_HOT, PROBS)),
        ("binary_crossentropy", (BIN_T, BIN_P), ref_bce(BIN_T, BIN_P)),
    ],
)
def test_get_by_name(name, args, per_sample):
    loss = losses.get(name)
    assert callable(loss)
    assert float(np.mean(_value(loss(*args)))) == pytest.approx(per_sample.mean(), rel=1e-6)


def test_get_passes_instances_and_wraps_functions():
    instance = losses.Huber(delta=0.3)
    assert losses.get(instance) is instance

    def doubled(y_true, y_pred):
        return ops.mean(ops.square(y_pred - y_true), axis=-1) * 2.0

    wrapped = losses.get(doubled)
    assert float(np.mean(_value(wrapped(REG_T, REG_P)))) == pytest.approx(2 * ref_mse(REG_T, REG_P).mean(), rel=1e-6)


def test_unknown_loss_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        losses.get("msx")
    message = str(info.value)
    assert "Could not interpret loss identifier" in message
    assert "msx" in message
    for name in ("mean_squared_error", "sparse_categorical_crossentropy", "binary_crossentropy", "huber"):
        assert name in message


@pytest.mark.parametrize(
    "loss, expected",
    [
        (
            losses.SparseCategoricalCrossentropy(),
            {
                "name": "sparse_categorical_crossentropy",
                "reduction": "sum_over_batch_size",
                "from_logits": False,
                "ignore_class": None,
            },
        ),
        (
            losses.CategoricalCrossentropy(),
            {
                "name": "categorical_crossentropy",
                "reduction": "sum_over_batch_size",
                "from_logits": False,
                "label_smoothing": 0.0,
                "axis": -1,
            },
        ),
        (
            losses.BinaryCrossentropy(),
            {
                "name": "binary_crossentropy",
                "reduction": "sum_over_batch_size",
                "from_logits": False,
                "label_smoothing": 0.0,
                "axis": -1,
            },
        ),
        (losses.MeanSquaredError(), {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}),
        (losses.MeanAbsoluteError(), {"name": "mean_absolute_error", "reduction": "sum_over_batch_size"}),
    ],
)
def test_loss_configs_match_keras(loss, expected):
    assert loss.get_config() == expected
    assert type(loss).from_config(expected).get_config() == expected


def test_huber_name():
    assert losses.Huber().name == "huber_loss"


# ---- labels -----------------------------------------------------------------------------


def test_sparse_labels_column_vector_is_accepted():
    a = _value(losses.sparse_categorical_crossentropy(LABELS[:, None], PROBS))
    np.testing.assert_allclose(a, ref_scce(LABELS, PROBS), rtol=1e-6)
    assert float(losses.SparseCategoricalCrossentropy()(LABELS[:, None], PROBS)) == pytest.approx(
        ref_scce(LABELS, PROBS).mean(), rel=1e-6
    )


def test_sparse_labels_as_integral_floats_are_accepted():
    a = _value(losses.sparse_categorical_crossentropy(LABELS.astype(np.float32), PROBS))
    np.testing.assert_allclose(a, ref_scce(LABELS, PROBS), rtol=1e-6)


@pytest.mark.parametrize("bad", [10, 12, -1])
def test_sparse_labels_out_of_range(bad):
    y_pred = np.full((3, 10), 0.1)
    with pytest.raises(ValueError) as info:
        losses.SparseCategoricalCrossentropy()(np.array([0, bad, 3]), y_pred)
    message = str(info.value)
    assert str(bad) in message
    assert "[0, 10)" in message


def test_sparse_labels_out_of_range_from_logits():
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        losses.sparse_categorical_crossentropy([4], np.zeros((1, 4)), from_logits=True)


def test_categorical_with_integer_labels_shape_mismatch():
    with pytest.raises(ValueError) as info:
        losses.CategoricalCrossentropy()(LABELS, PROBS)
    assert "(5,)" in str(info.value) and "(5, 4)" in str(info.value)


def test_binary_labels_vector_against_column_predictions():
    t = np.array([0.0, 1.0, 1.0])
    p = np.array([[0.2], [0.7], [0.4]])
    np.testing.assert_allclose(_value(losses.binary_crossentropy(t, p)), ref_bce(t[:, None], p), rtol=1e-6)


def test_label_smoothing():
    ls = 0.1
    smoothed = ONE_HOT * (1 - ls) + ls / 4
    np.testing.assert_allclose(
        _value(losses.categorical_crossentropy(ONE_HOT, PROBS, label_smoothing=ls)), ref_cce(smoothed, PROBS), rtol=1e-6
    )
    np.testing.assert_allclose(
        _value(losses.categorical_crossentropy(ONE_HOT, LOGITS, from_logits=True, label_smoothing=ls)),
        ref_cce_logits(smoothed, LOGITS),
        rtol=1e-6,
    )
    ls = 0.2
    smoothed = BIN_T * (1 - ls) + 0.5 * ls
    np.testing.assert_allclose(
        _value(losses.binary_crossentropy(BIN_T, BIN_P, label_smoothing=ls)), ref_bce(smoothed, BIN_P), rtol=1e-6
    )
    np.testing.assert_allclose(
        _value(losses.binary_crossentropy(BIN_T, BIN_Z, from_logits=True, label_smoothing=ls)),
        ref_bce_logits(smoothed, BIN_Z),
        rtol=1e-6,
    )


def test_regression_losses_accept_vector_targets_for_column_predictions():
    t = np.array([1.0, 2.0, 3.0])
    p = np.array([[1.5], [2.0], [1.0]])
    np.testing.assert_allclose(_value(losses.mean_squared_error(t, p)), [0.25, 0.0, 4.0])
    np.testing.assert_allclose(_value(losses.mean_absolute_error(t, p)), [0.5, 0.0, 2.0])


# ---- gradients --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, y_true, y_pred",
    [
        (lambda t, p: losses.sparse_categorical_crossentropy(t, p), LABELS, PROBS),
        (lambda t, p: losses.sparse_categorical_crossentropy(t, p, from_logits=True), LABELS, LOGITS),
        (lambda t, p: losses.categorical_crossentropy(t, p), SOFT_TARGETS, PROBS),
        (lambda t, p: losses.categorical_crossentropy(t, p, from_logits=True), SOFT_TARGETS, LOGITS),
        (lambda t, p: losses.categorical_crossentropy(t, p, label_smoothing=0.1), ONE_HOT, PROBS),
        (lambda t, p: losses.binary_crossentropy(t, p), BIN_T, BIN_P),
        (lambda t, p: losses.binary_crossentropy(t, p, from_logits=True), BIN_T, BIN_Z),
        (lambda t, p: losses.mean_squared_error(t, p), REG_T, REG_P),
        (lambda t, p: losses.mean_absolute_error(t, p), REG_T, REG_P),
        (lambda t, p: losses.huber(t, p), REG_T, REG_P),
        (lambda t, p: losses.huber(t, p, delta=0.3), REG_T, REG_P),
        (lambda t, p: losses.SparseCategoricalCrossentropy()(t, p, sample_weight=np.arange(5.0)), LABELS, PROBS),
        (lambda t, p: losses.BinaryCrossentropy(reduction="sum")(t, p), BIN_T, BIN_P),
        (lambda t, p: losses.MeanSquaredError(reduction="none")(t, p), REG_T, REG_P),
    ],
)
def test_loss_gradient_check_wrt_y_pred(float64, fn, y_true, y_pred):
    assert gradient_check(lambda p: fn(y_true, p), y_pred)


def test_loss_gradient_through_softmax_logits(float64):
    assert gradient_check(lambda z: losses.sparse_categorical_crossentropy(LABELS, ops.softmax(z)), LOGITS)
    assert gradient_check(lambda z: losses.categorical_crossentropy(SOFT_TARGETS, ops.softmax(z)), LOGITS)
    assert gradient_check(lambda z: losses.binary_crossentropy(BIN_T, ops.sigmoid(z)), BIN_Z)


def test_loss_regions_are_away_from_kinks():
    """Guards the gradient-check data: no |error| sits on a kink (0 for MAE, delta for Huber)."""
    e = np.abs(REG_P - REG_T)
    assert e.min() > 1e-3
    assert np.abs(e - 1.0).min() > 1e-3 and np.abs(e - 0.3).min() > 1e-3
    assert (e < 0.3).any() and (e > 1.0).any()


def test_ignore_class_is_excluded_from_the_range_check_and_the_mean():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [3.0, 0.0, 0.0]], "float32")
    labels = np.array([0, 255, 2, 255])
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)(labels, logits)
    per_sample = np.log(np.exp(logits).sum(axis=1)) - logits[np.arange(4), [0, 0, 2, 0]]
    assert float(loss) == pytest.approx((per_sample[0] + per_sample[2]) / 2, rel=1e-6)


def test_a_sample_weight_that_does_not_fit_the_loss_names_both_shapes():
    loss = losses.MeanSquaredError()
    with pytest.raises(ValueError, match=r'`sample_weight` of shape \(4, 3\) does not fit the loss "mean_squared_error"'
                                         r", whose values for this batch have shape \(4,\)"):  # fmt: skip
        loss(np.ones((4, 2)), np.zeros((4, 2)), sample_weight=np.ones((4, 3)))
    np.testing.assert_allclose(float(loss(np.ones((4, 2)), np.zeros((4, 2)), sample_weight=np.ones((4, 1)))), 1.0)
