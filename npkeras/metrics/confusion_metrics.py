"""Metrics from accumulated confusion counts: TruePositives ... FalseNegatives, Precision, Recall."""

import numpy as np

from npkeras.metrics.confusion_counts import NEG_INF, confusion_counts, evenly_spaced, parse_thresholds
from npkeras.metrics.metric import Metric

_COUNTS = ("true_positives", "false_positives", "true_negatives", "false_negatives")


def divide_no_nan(a, b):
    """a / b, and 0 where b is 0."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b != 0)


def as_result(values, dtype="float32"):
    """A scalar metric value as a float, several as an array, in the metric's dtype."""
    values = np.asarray(values, dtype=dtype)
    return float(values) if values.ndim == 0 else values


class ConfusionMetric(Metric):
    """Base: keeps the counts named in `tracked`, one per threshold, summed over every batch seen."""

    tracked = _COUNTS

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name, dtype)
        self.init_thresholds, self.top_k, self.class_id = thresholds, top_k, class_id
        if top_k is not None and (not isinstance(top_k, (int, np.integer)) or top_k < 1):
            raise ValueError(f"`top_k` must be a positive integer. Received: top_k={top_k!r}")
        self.thresholds = parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        self._evenly = evenly_spaced(self.thresholds)
        self.reset_state()

    def reset_state(self):
        for name in self.tracked:
            setattr(self, name, np.zeros(len(self.thresholds)))

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
            evenly=self._evenly,
            metric=type(self).__name__,
        )
        for name, count in zip(_COUNTS, counts):
            if name in self.tracked:
                setattr(self, name, getattr(self, name) + count)

    def _one_or_all(self, values):
        return as_result(values[0] if len(self.thresholds) == 1 else values, self.dtype)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class _Count(ConfusionMetric):
    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        return self._one_or_all(getattr(self, self.tracked[0]))


class TruePositives(_Count):
    tracked = ("true_positives",)


class FalsePositives(_Count):
    tracked = ("false_positives",)


class TrueNegatives(_Count):
    tracked = ("true_negatives",)


class FalseNegatives(_Count):
    tracked = ("false_negatives",)


class Precision(ConfusionMetric):
    """TP / (TP + FP) at each threshold, or among each row's top_k predictions, or for one class_id."""

    tracked = ("true_positives", "false_positives")

    def result(self):
        return self._one_or_all(divide_no_nan(self.true_positives, self.true_positives + self.false_positives))

    def get_config(self):
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}


class Recall(ConfusionMetric):
    """TP / (TP + FN) at each threshold, or among each row's top_k predictions, or for one class_id."""

    tracked = ("true_positives", "false_negatives")

    def result(self):
        return self._one_or_all(divide_no_nan(self.true_positives, self.true_positives + self.false_negatives))

    def get_config(self):
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}
