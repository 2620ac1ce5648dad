"""The newer metrics refuse bad arguments with Keras's errors, and a few values worked by hand."""

import re

import numpy as np
import pytest

from npkeras import metrics


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: metrics.R2Score(class_aggregation="max"),
            "Invalid value for argument `class_aggregation`. Expected one of (None, 'uniform_average', "
            "'variance_weighted_average'). Received: class_aggregation=max",
        ),
        (
            lambda: metrics.R2Score(num_regressors=-1),
            "Invalid value for argument `num_regressors`. Expected a value >= 0. Received: num_regressors=-1",
        ),
        (lambda: metrics.IoU(3, [0, 3]), "Target class id 3 is out of range, which is [0, 3)."),
        (lambda: metrics.PrecisionAtRecall(1.5), "Argument `recall` must be in the range [0, 1]. Received: recall=1.5"),
        (
            lambda: metrics.SpecificityAtSensitivity(0.5, num_thresholds=0),
            "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=0",
        ),
        (
            lambda: metrics.R2Score().update_state(np.ones(4), np.ones(4)),
            "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
            "y_pred.shape=(4,) and y_true.shape=(4,).",
        ),
    ],
)
def test_bad_arguments_get_keras_errors(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def test_sum_reduces_each_sample_before_weighting():
    """Keras: 2 * (1 + 2) + 0.5 * (3 + 4) = 9.5."""
    total = metrics.Sum()
    total.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]), sample_weight=np.array([2.0, 0.5]))
    assert total.result() == 9.5
    total.update_state([1.0])
    assert total.result() == 10.5
    total.reset_state()
    assert total.result() == 0.0


def test_mean_iou_by_hand_drops_out_of_range_and_ignored_labels():
    """Classes 0 and 1: cm [[1, 1], [0, 1]] -> IoU 1/2 and 1/2; the label 2 and the prediction -1 are dropped."""
    miou = metrics.MeanIoU(num_classes=2)
    miou.update_state([0, 0, 1, 2, 1], [0, 1, 1, 0, -1])
    assert miou.result() == pytest.approx(0.5, abs=1e-6)
    ignoring = metrics.MeanIoU(num_classes=2, ignore_class=0)
    ignoring.update_state([0, 0, 1, 1], [0, 1, 1, 1])  # only class 1's rows: cm [[0, 0], [0, 2]]
    assert ignoring.result() == pytest.approx(1.0, abs=1e-6)


def test_r2_score_by_hand():
    y = np.array([[1.0], [2.0], [3.0], [4.0]])
    p = np.array([[1.5], [2.0], [2.5], [4.0]])
    r2 = metrics.R2Score()
    r2.update_state(y[:2], p[:2])
    r2.update_state(y[2:], p[2:])
    assert r2.result() == pytest.approx(1 - 0.5 / 5.0, rel=1e-6)
    adjusted = metrics.R2Score(num_regressors=1)
    adjusted.update_state(y, p)
    assert adjusted.result() == pytest.approx(1 - (1 - 0.9) * 3 / 2, rel=1e-6)


def test_precision_at_recall_by_hand():
    """Scores 0.9, 0.8 (positives), 0.7 (negative), 0.4 (positive): recall >= 1 needs the threshold below 0.4,
    where precision is 3/4; recall >= 0.6 allows a threshold in [0.7, 0.8), precision 1."""
    y, p = [1, 1, 0, 1], [0.9, 0.8, 0.7, 0.4]
    for recall, precision in ((1.0, 0.75), (0.6, 1.0)):
        metric = metrics.PrecisionAtRecall(recall, num_thresholds=101)
        metric.update_state(y, p)
        assert metric.result() == pytest.approx(precision, abs=1e-6)
