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
BINARY_COUNTS = [
    metrics.TruePositives,
    metrics.FalsePositives,
    metrics.TrueNegatives,
    metrics.FalseNegatives,
    metrics.Precision,
    metrics.Recall,
    metrics.AUC,
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


BINARY_METRICS = [*BINARY_MEANS, *BINARY_COUNTS, wrapped_binary_accuracy]


def whole(make, y_true, y_pred, sample_weight=None):
    return metric_streams.stream(make(), y_true, y_pred, [N], sample_weight)


def streamed(make, y_true, y_pred, sample_weight=None):
    return metric_streams.stream(make(), y_true, y_pred, SIZES, sample_weight)


def test_every_metric_class_is_checked_here():
    exported = {v for v in vars(metrics).values() if isinstance(v, type) and issubclass(v, metrics.Metric)}
    checked = {*BINARY_MEANS, *BINARY_COUNTS, *TWO_D_ONLY, metrics.MeanMetricWrapper, metrics.Mean}
    checked |= {type(make()) for make, _, _ in CATEGORICAL}
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
