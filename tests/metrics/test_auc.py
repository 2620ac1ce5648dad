"""AUC against scikit-learn where the two define the same area, and its argument checks."""

import metric_streams
import numpy as np
import pytest

from npkeras import metrics

sklearn_metrics = pytest.importorskip("sklearn.metrics")

SIZES = [9, 1, 30, 24]


def stream(metric, y_true, y_pred, sample_weight=None):
    return metric_streams.stream(metric, y_true, y_pred, SIZES, sample_weight)


def separated_scores(seed, num_thresholds=200):
    """Scores halfway between AUC's thresholds, so its counts at each threshold are exact ROC points."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, sum(SIZES))
    bucket = np.clip(rng.integers(0, num_thresholds - 1, sum(SIZES)) + 40 * y, 0, num_thresholds - 2)
    return y.astype(np.float32), ((bucket + 0.5) / (num_thresholds - 1)).astype(np.float32)


@pytest.mark.parametrize("seed", range(20))
def test_roc_auc_equals_sklearn_when_thresholds_separate_the_scores(seed):
    y, p = separated_scores(seed)
    assert stream(metrics.AUC(), y, p) == pytest.approx(sklearn_metrics.roc_auc_score(y, p), abs=1e-6)
    w = np.random.default_rng(seed).random(len(y)) + 0.1
    expected = sklearn_metrics.roc_auc_score(y, p, sample_weight=w)
    assert stream(metrics.AUC(), y, p, w) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_multi_label_roc_auc_is_sklearns_macro_average(seed):
    rng = np.random.default_rng(seed)
    columns = [separated_scores(seed * 10 + k) for k in range(3)]
    y = np.stack([c[0] for c in columns], 1)
    p = np.stack([c[1] for c in columns], 1)
    expected = sklearn_metrics.roc_auc_score(y, p, average="macro")
    assert stream(metrics.AUC(multi_label=True), y, p) == pytest.approx(expected, abs=1e-6)
    weights = rng.random(3)
    per_label = sklearn_metrics.roc_auc_score(y, p, average=None)
    expected = float((per_label * weights).sum() / weights.sum())
    assert stream(metrics.AUC(multi_label=True, label_weights=weights), y, p) == pytest.approx(expected, abs=1e-6)


def test_sklearns_average_precision_lies_between_the_minoring_and_majoring_pr_areas():
    """Average precision sums recall steps times the precision at one end; minoring and majoring take the smaller
    and the larger end over the same steps."""
    y, p = separated_scores(4)
    ap = sklearn_metrics.average_precision_score(y, p)
    low = stream(metrics.AUC(curve="PR", summation_method="minoring"), y, p)
    high = stream(metrics.AUC(curve="PR", summation_method="majoring"), y, p)
    assert low - 1e-6 <= ap <= high + 1e-6


def test_perfect_and_inverted_rankings():
    y = np.array([0, 0, 1, 1], np.float32)
    assert metrics.AUC()(y, np.array([0.1, 0.2, 0.8, 0.9])) == pytest.approx(1.0)
    assert metrics.AUC()(y, np.array([0.9, 0.8, 0.2, 0.1])) == pytest.approx(0.0)
    assert metrics.AUC(curve="PR")(y, np.array([0.1, 0.2, 0.8, 0.9])) == pytest.approx(1.0)


def test_keras_docstring_example():
    m = metrics.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    assert m.result() == pytest.approx(0.75)
    m.reset_state()
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
    assert m.result() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"curve": "LIFT"}, 'Invalid AUC curve value: "LIFT"'),
        ({"summation_method": "simpson"}, 'Invalid AUC summation method value: "simpson"'),
        ({"num_thresholds": 1}, "`num_thresholds` must be an integer > 1"),
        ({"thresholds": [0.5, 1.2]}, r"Threshold values must be in \[0, 1\]"),
        ({"num_labels": 3}, "`num_labels` is needed only when `multi_label` is True"),
        ({"label_weights": [1.0, -1.0]}, "must be non-negative"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.AUC(**kwargs)


def test_label_weights_must_match_the_labels():
    with pytest.raises(ValueError, match="2 label_weights but y_pred has 3 labels"):
        metrics.AUC(multi_label=True, label_weights=[1.0, 2.0]).update_state(np.ones((2, 3)), np.ones((2, 3)) / 2)


def test_thresholds_property_has_the_epsilon_ends():
    thresholds = metrics.AUC(num_thresholds=3).thresholds
    assert thresholds == pytest.approx([-1e-7, 0.5, 1 + 1e-7])
