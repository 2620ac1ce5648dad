"""Precision, Recall and the confusion counts against scikit-learn, streamed over uneven batches."""

import metric_streams
import numpy as np
import pytest

from npkeras import metrics

sklearn_metrics = pytest.importorskip("sklearn.metrics")

SIZES = [5, 1, 17, 9]  # uneven batches, one of a single sample


def stream(metric, y_true, y_pred, sample_weight=None):
    return metric_streams.stream(metric, y_true, y_pred, SIZES, sample_weight)


def binary_case(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, sum(SIZES)).astype(np.float32)
    return y, rng.random(sum(SIZES)).astype(np.float32), rng.random(sum(SIZES)) + 0.1


def multiclass_case(seed, classes=4):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, sum(SIZES))
    logits = rng.normal(size=(sum(SIZES), classes)) + np.eye(classes)[labels]
    return labels, np.exp(logits) / np.exp(logits).sum(1, keepdims=True)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("threshold", [0.5, 0.3])
def test_binary_precision_and_recall_equal_sklearn(seed, threshold):
    y, p, w = binary_case(seed)
    predicted = p > threshold
    for cls, fn in (
        (metrics.Precision, sklearn_metrics.precision_score),
        (metrics.Recall, sklearn_metrics.recall_score),
    ):
        expected = fn(y, predicted, zero_division=0)
        assert stream(cls(thresholds=threshold), y, p) == pytest.approx(expected, abs=1e-6)
        weighted = fn(y, predicted, sample_weight=w, zero_division=0)
        assert stream(cls(thresholds=threshold), y, p, w) == pytest.approx(weighted, abs=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_several_thresholds_give_one_value_each(seed):
    y, p, _ = binary_case(seed)
    thresholds = [0.1, 0.35, 0.5, 0.9]
    got = stream(metrics.Precision(thresholds=thresholds), y, p)
    expected = [sklearn_metrics.precision_score(y, p > t, zero_division=0) for t in thresholds]
    np.testing.assert_allclose(got, expected, atol=1e-6)
    got = stream(metrics.Recall(thresholds=thresholds), y, p)
    np.testing.assert_allclose(got, [sklearn_metrics.recall_score(y, p > t) for t in thresholds], atol=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_top_1_with_class_id_is_sklearns_per_class_score_of_the_argmax(seed):
    labels, probs = multiclass_case(seed)
    onehot = np.eye(4)[labels]
    predicted = probs.argmax(1)
    for c in range(4):
        for cls, fn in (
            (metrics.Precision, sklearn_metrics.precision_score),
            (metrics.Recall, sklearn_metrics.recall_score),
        ):
            expected = fn(labels, predicted, labels=[c], average=None, zero_division=0)[0]
            assert stream(cls(top_k=1, class_id=c), onehot, probs) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_top_1_precision_over_all_classes_is_accuracy(seed):
    labels, probs = multiclass_case(seed)
    expected = sklearn_metrics.accuracy_score(labels, probs.argmax(1))
    assert stream(metrics.Precision(top_k=1), np.eye(4)[labels], probs) == pytest.approx(expected, abs=1e-6)
    assert stream(metrics.Recall(top_k=1), np.eye(4)[labels], probs) == pytest.approx(expected, abs=1e-6)


def test_confusion_counts_equal_sklearns_confusion_matrix():
    y, p, w = binary_case(3)
    (tn, fp), (fn, tp) = sklearn_metrics.confusion_matrix(y, p > 0.5, sample_weight=w)
    for cls, expected in ((metrics.TruePositives, tp), (metrics.FalsePositives, fp),
                          (metrics.TrueNegatives, tn), (metrics.FalseNegatives, fn)):  # fmt: skip
        assert stream(cls(), y, p, w) == pytest.approx(expected, abs=1e-6)


def test_edge_cases_all_correct_never_predicted_never_present():
    y = np.array([1, 0, 1, 1], np.float32)
    assert metrics.Precision()(y, y) == 1.0 and metrics.Recall()(y, y) == 1.0
    never_predicted = np.zeros(4, np.float32)
    assert metrics.Precision()(y, never_predicted) == 0.0  # 0/0 is 0, sklearn's zero_division=0
    assert metrics.Recall()(y, never_predicted) == 0.0
    assert metrics.Recall()(np.zeros(4), y) == 0.0  # no positive present
    single = metrics.Precision()
    single.update_state([1.0], [0.9])
    assert single.result() == 1.0


def test_sample_weight_of_zero_masks():
    m = metrics.Precision()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert m.result() == 1.0


def test_integer_labels_against_probabilities_are_a_clear_error():
    labels, probs = multiclass_case(0)
    with pytest.raises(
        ValueError, match=r"same shape as y_pred.*y_true.shape=\(32,\), y_pred.shape=\(32, 4\).*one-hot"
    ):
        metrics.Precision().update_state(labels, probs)
    with pytest.raises(ValueError, match="y_true.shape=\\(3,\\), y_pred.shape=\\(4,\\)"):
        metrics.Recall().update_state([1, 0, 1], [0.2, 0.3, 0.4, 0.5])


@pytest.mark.parametrize("thresholds", [1.5, [0.2, -0.1], [None]])
def test_thresholds_outside_zero_one_are_refused(thresholds):
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.Precision(thresholds=thresholds)


def test_top_k_must_be_a_positive_integer():
    with pytest.raises(ValueError, match="`top_k` must be a positive integer"):
        metrics.Recall(top_k=0)


def test_class_id_needs_2d_predictions():
    with pytest.raises(ValueError, match="When class_id is provided, y_pred must be a 2D array"):
        metrics.Precision(class_id=1).update_state([1.0, 0.0], [0.7, 0.2])


def test_compile_names_resolve_to_these_metrics():
    assert isinstance(metrics.get("precision"), metrics.Precision)
    assert isinstance(metrics.get("Recall"), metrics.Recall)
    assert isinstance(metrics.get("true_positives"), metrics.TruePositives)
