"""One rate at the best threshold that keeps another rate at least a given value, from confusion counts at
`num_thresholds` evenly spaced thresholds: PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity and
SpecificityAtSensitivity (Keras's rules)."""

import numpy as np

from npkeras.metrics.confusion_counts import confusion_counts
from npkeras.metrics.confusion_metrics import as_result, divide_no_nan
from npkeras.metrics.metric import Metric


class SensitivitySpecificityBase(Metric):
    """Keeps TP, FP, TN and FN at 0, 1/(n-1), ..., 1 (or at 0.5 alone when num_thresholds is 1)."""

    constraint_name = "value"

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name, dtype)
        if num_thresholds <= 0:
            raise ValueError(
                f"Argument `num_thresholds` must be an integer > 0. Received: num_thresholds={num_thresholds}"
            )
        if value < 0 or value > 1:
            raise ValueError(
                f"Argument `{self.constraint_name}` must be in the range [0, 1]. "
                f"Received: {self.constraint_name}={value}"
            )
        self.value, self.num_thresholds, self.class_id = value, num_thresholds, class_id
        setattr(self, self.constraint_name, value)  # Keras's attribute: `metric.recall`, `metric.specificity`, ...
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._evenly = [0.0, *inner, 1.0], True
        self.reset_state()

    def reset_state(self):
        zeros = np.zeros(len(self.thresholds))
        self.true_positives, self.false_positives, self.true_negatives, self.false_negatives = (zeros,) * 4

    def update_state(self, y_true, y_pred, sample_weight=None):
        tp, fp, tn, fn = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            class_id=self.class_id,
            sample_weight=sample_weight,
            evenly=self._evenly,
            metric=type(self).__name__,
        )
        self.true_positives = self.true_positives + tp
        self.false_positives = self.false_positives + fp
        self.true_negatives = self.true_negatives + tn
        self.false_negatives = self.false_negatives + fn

    def _rates(self):
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        return {
            "recall": divide_no_nan(tp, tp + fn),  # also the sensitivity
            "precision": divide_no_nan(tp, tp + fp),
            "specificity": divide_no_nan(tn, tn + fp),
        }

    def _best(self, constrained, dependent):
        """The largest `dependent` rate among the thresholds where `constrained` >= value (0 if none)."""
        feasible = constrained >= self.value
        return as_result(np.max(np.where(feasible, dependent, 0.0), initial=0.0), self.dtype)

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds,
                self.constraint_name: self.value}  # fmt: skip


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) at a specificity of at least `specificity`."""

    constraint_name = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["specificity"], rates["recall"])


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity at a sensitivity (recall) of at least `sensitivity`."""

    constraint_name = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["specificity"])


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision at a recall of at least `recall`."""

    constraint_name = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["precision"])


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall at a precision of at least `precision`."""

    constraint_name = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["precision"], rates["recall"])
