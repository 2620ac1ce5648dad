"""Every metric in npkeras.metrics, fed in uneven batches with y and weights of any rank, equals its value
on the whole set (and, for the mean-wrapped ones, the NumPy truth)."""

import metric_streams
import numpy as np
import pytest

from npkeras import metrics

SIZES = [1, 49, 1, 149, 57]  # uneven: batches of one among big ones
N = sum(SIZES)
RNG = np.random.default_rng(0)
Y = RNG.integers(0, 2, N).astype(np.float32)
P = np.round(RNG.random(N), 1).astype(np.float32)  # in tenths, so some predictions equal their labels (Accuracy)
W = RNG.uniform(0.1, 3.0, N)
LABELS = RNG.integers(0, 4, N)
ONE_HOT = np.eye(4, dtype=np.float32)[LABELS]
SCORES = RNG.random((N, 4)).astype(np.float32)

# The mean-wrapped metrics on binary data, with the per-sample value each one averages.
BINARY_MEANS = {
    metrics.Accuracy: lambda y, p: y == p,
    metrics.BinaryAccuracy: lambda y, p: (p > 0.5) == y,
    metrics.MeanSquaredError: lambda y, p: (p - y) ** 2,
    metrics.MeanAbsoluteError: lambda y, p: np.abs(p - y),
}
EPS = 1e-7


def binary_crossentropy_truth(y, p):
    """Keras's clip to [eps, 1 - eps], done in float32 as the metric computes (1 - eps rounds to 1 - 2^-23 there)."""
    p = np.clip(p.astype(np.float32), np.float32(EPS), np.float32(1 - EPS)).astype(np.float64)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


# The metrics that average a loss function, on binary data, with the per-sample value each one averages.
LOSS_MEANS = {
    metrics.Hinge: lambda y, p: np.maximum(1 - (2 * y - 1) * p, 0),
    metrics.SquaredHinge: lambda y, p: np.maximum(1 - (2 * y - 1) * p, 0) ** 2,
    metrics.Poisson: lambda y, p: p - y * np.log(p + EPS),
    metrics.MeanAbsolutePercentageError: lambda y, p: 100 * np.abs(y - p) / np.maximum(np.abs(y), EPS),
    metrics.MeanSquaredLogarithmicError: lambda y, p: (np.log(np.maximum(p, EPS) + 1) - np.log(y + 1)) ** 2,
    metrics.LogCoshError: lambda y, p: np.log(np.cosh(p - y)),
    metrics.BinaryCrossentropy: lambda y, p: binary_crossentropy_truth(y, p),
}
BINARY_COUNTS = [
    metrics.TruePositives,
    metrics.FalsePositives,
    metrics.TrueNegatives,
    metrics.FalseNegatives,
    metrics.Precision,
    metrics.Recall,
    metrics.AUC,
    metrics.BinaryIoU,
    metrics.RootMeanSquaredError,
]
TWO_D_ONLY = [metrics.F1Score, metrics.FBetaScore]  # (batch, outputs) by design, as in Keras
RANK_OF_LABEL = (SCORES > SCORES[np.arange(N), LABELS][:, None]).sum(axis=1)
CATEGORICAL = [  # (make the metric, its y_true forms, whether each sample is right)
    (metrics.CategoricalAccuracy, [ONE_HOT], RANK_OF_LABEL == 0),
    (lambda: metrics.TopKCategoricalAccuracy(k=2), [ONE_HOT], RANK_OF_LABEL < 2),
    (metrics.SparseCategoricalAccuracy, [LABELS, LABELS[:, None]], RANK_OF_LABEL == 0),
    (lambda: metrics.SparseTopKCategoricalAccuracy(k=2), [LABELS, LABELS[:, None]], RANK_OF_LABEL < 2),
]

VECTORS, COLUMNS = (Y, P), (Y[:, None], P[:, None])
BINARY_FORMS = {
    "vectors": VECTORS,
    "columns": COLUMNS,
    "vector_labels_column_predictions": (Y, P[:, None]),
    "column_labels_vector_predictions": (Y[:, None], P),
}
WEIGHT_FORMS = {"unweighted": None, "weights": W, "weight_column": W[:, None]}


def wrapped_binary_accuracy():
    return metrics.MeanMetricWrapper(metrics.binary_accuracy)


BINARY_METRICS = [*BINARY_MEANS, *LOSS_MEANS, *BINARY_COUNTS, wrapped_binary_accuracy]
PREDICTED = SCORES.argmax(axis=1)
OTHERS = [  # (make the metric, y_true, y_pred): the categorical, IoU and multi-output ones
    (metrics.CategoricalHinge, ONE_HOT, SCORES),
    (metrics.KLDivergence, ONE_HOT, SCORES),
    (metrics.CategoricalCrossentropy, ONE_HOT, SCORES),
    (metrics.SparseCategoricalCrossentropy, LABELS, SCORES),
    (metrics.SparseCategoricalCrossentropy, LABELS[:, None], SCORES),
    (metrics.CosineSimilarity, ONE_HOT, SCORES),
    (metrics.R2Score, ONE_HOT, SCORES),
    (lambda: metrics.IoU(4, [1, 3]), LABELS, PREDICTED),
    (lambda: metrics.MeanIoU(4), LABELS[:, None], PREDICTED),
    (lambda: metrics.OneHotIoU(4, [0, 2]), ONE_HOT, SCORES),
    (lambda: metrics.OneHotMeanIoU(4), ONE_HOT, SCORES),
    (lambda: metrics.PrecisionAtRecall(0.6), Y, P),
    (lambda: metrics.RecallAtPrecision(0.55, num_thresholds=11), Y[:, None], P),
    (lambda: metrics.SensitivityAtSpecificity(0.5), Y, P[:, None]),
    (lambda: metrics.SpecificityAtSensitivity(0.5, class_id=1), ONE_HOT, SCORES),
]


def whole(make, y_true, y_pred, sample_weight=None):
    return metric_streams.stream(make(), y_true, y_pred, [N], sample_weight)


def streamed(make, y_true, y_pred, sample_weight=None):
    return metric_streams.stream(make(), y_true, y_pred, SIZES, sample_weight)


def test_every_metric_class_is_checked_here():
    exported = {v for v in vars(metrics).values() if isinstance(v, type) and issubclass(v, metrics.Metric)}
    checked = {*BINARY_MEANS, *LOSS_MEANS, *BINARY_COUNTS, *TWO_D_ONLY, metrics.MeanMetricWrapper, metrics.Mean}
    checked |= {type(make()) for make, _, _ in CATEGORICAL + OTHERS} | {metrics.Sum}
    assert exported - {metrics.Metric} == checked


@pytest.mark.parametrize("weights", WEIGHT_FORMS.values(), ids=WEIGHT_FORMS.keys())
@pytest.mark.parametrize("form", BINARY_FORMS.values(), ids=BINARY_FORMS.keys())
@pytest.mark.parametrize("make", BINARY_METRICS, ids=lambda m: m.__name__)
def test_binary_metrics_streamed_at_any_rank_equal_the_whole_set(make, form, weights):
    expected = whole(make, *COLUMNS, None if weights is None else W)
    np.testing.assert_allclose(streamed(make, *form, weights), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(whole(make, *form, weights), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("form", BINARY_FORMS.values(), ids=BINARY_FORMS.keys())
@pytest.mark.parametrize("cls", BINARY_MEANS, ids=lambda c: c.__name__)
def test_mean_wrapped_binary_metrics_equal_the_numpy_truth(cls, form, weighted):
    per_sample = BINARY_MEANS[cls](Y, P).astype(np.float64)
    expected = np.average(per_sample, weights=W if weighted else None)
    assert 0 < expected < 1
    assert float(streamed(cls, *form, W if weighted else None)) == pytest.approx(expected, rel=1e-6)


def test_the_reported_split_of_binary_accuracy():
    """257 samples as batches of 1, 49, 1, 149 and 57: the batches' means averaged gave 0.5058."""
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 2, 257).astype("float32"), rng.random(257).astype("float32")
    result = float(streamed(metrics.BinaryAccuracy, y, p))
    assert result == pytest.approx(np.mean((p > 0.5) == y), rel=1e-6)
    assert result == pytest.approx(0.5097276, abs=1e-6)


@pytest.mark.parametrize("weights", WEIGHT_FORMS.values(), ids=WEIGHT_FORMS.keys())
@pytest.mark.parametrize("cls", TWO_D_ONLY, ids=lambda c: c.__name__)
def test_f_scores_streamed_equal_the_whole_set(cls, weights):
    for y_true, y_pred in (COLUMNS, (ONE_HOT, SCORES)):
        expected = whole(cls, y_true, y_pred, weights)
        assert np.all(expected > 0)
        np.testing.assert_allclose(streamed(cls, y_true, y_pred, weights), expected, rtol=1e-6)


@pytest.mark.parametrize("weights", WEIGHT_FORMS.values(), ids=WEIGHT_FORMS.keys())
@pytest.mark.parametrize("make, labels, right", CATEGORICAL, ids=["categorical", "top_2", "sparse", "sparse_top_2"])
def test_categorical_metrics_streamed_equal_the_truth(make, labels, right, weights):
    expected = np.average(right, weights=None if weights is None else W)
    for y_true in labels:
        assert float(streamed(make, y_true, SCORES, weights)) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("weights", WEIGHT_FORMS.values(), ids=WEIGHT_FORMS.keys())
def test_mean_streamed_equals_the_whole_set(weights):
    m, start = metrics.Mean(), 0
    for size in SIZES:
        m.update_state(P[start : start + size], None if weights is None else weights[start : start + size])
        start += size
    assert float(m.result()) == pytest.approx(np.average(P, weights=None if weights is None else W), rel=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("form", BINARY_FORMS.values(), ids=BINARY_FORMS.keys())
@pytest.mark.parametrize("cls", LOSS_MEANS, ids=lambda c: c.__name__)
def test_loss_means_equal_the_numpy_truth(cls, form, weighted):
    """A vector of predictions is one output per sample, whatever the batching."""
    expected = np.average(LOSS_MEANS[cls](Y.astype(np.float64), P.astype(np.float64)), weights=W if weighted else None)
    assert float(streamed(cls, *form, W if weighted else None)) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("weights", WEIGHT_FORMS.values(), ids=WEIGHT_FORMS.keys())
def test_root_mean_squared_error_is_the_root_of_the_weighted_mean(weights):
    expected = np.sqrt(np.average((P - Y).astype(np.float64) ** 2, weights=None if weights is None else W))
    assert float(streamed(metrics.RootMeanSquaredError, Y, P, weights)) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("weights", WEIGHT_FORMS.values(), ids=WEIGHT_FORMS.keys())
@pytest.mark.parametrize("make, y_true, y_pred", OTHERS, ids=lambda v: getattr(v, "__name__", None))
def test_other_metrics_streamed_equal_the_whole_set(make, y_true, y_pred, weights):
    expected = whole(make, y_true, y_pred, weights)
    assert np.all(np.isfinite(expected)) and np.any(expected != 0)
    np.testing.assert_allclose(streamed(make, y_true, y_pred, weights), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("weights", WEIGHT_FORMS.values(), ids=WEIGHT_FORMS.keys())
def test_sum_streamed_equals_the_weighted_total(weights):
    m, start = metrics.Sum(), 0
    for size in SIZES:
        m.update_state(P[start : start + size], None if weights is None else weights[start : start + size])
        start += size
    expected = np.sum(P.astype(np.float64) * (1 if weights is None else W))
    assert float(m.result()) == pytest.approx(expected, rel=1e-6)
