"""AUC: the area under the ROC or precision-recall curve, from counts at fixed thresholds (Keras's rules)."""

import numpy as np

from npkeras.metrics.confusion_counts import confusion_counts, evenly_spaced
from npkeras.metrics.confusion_metrics import as_result, divide_no_nan
from npkeras.metrics.metric import Metric

EPSILON = 1e-7
CURVES = {"roc": "ROC", "pr": "PR"}
SUMMATIONS = ("interpolation", "majoring", "minoring")


class AUC(Metric):
    """Riemann sum of the ROC or PR curve over `num_thresholds` thresholds; PR interpolates as Davis & Goadrich."""

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        if str(curve).lower() not in CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC"]')
        if str(summation_method).lower() not in SUMMATIONS:
            raise ValueError(
                f'Invalid AUC summation method value: "{summation_method}". '
                'Expected values are ["interpolation", "majoring", "minoring"]'
            )
        super().__init__(name, dtype)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            bad = [t for t in inner if not 0 <= t <= 1]
            if bad:
                raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
            self.num_thresholds = len(inner) + 2
            self._evenly = evenly_spaced([0.0, *inner, 1.0])
        else:
            if not isinstance(num_thresholds, (int, np.integer)) or num_thresholds <= 1:
                raise ValueError(
                    f"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = int(num_thresholds)
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self._thresholds = np.array([0.0 - EPSILON, *inner, 1.0 + EPSILON])
        self.curve = CURVES[str(curve).lower()]
        self.summation_method = str(summation_method).lower()
        if num_labels and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights = None if label_weights is None else np.asarray(label_weights, np.float64)
        if self.label_weights is not None and (self.label_weights < 0).any():
            raise ValueError(f"All values of `label_weights` must be non-negative. Received: {label_weights}")
        self._from_logits = from_logits
        self.reset_state()

    @property
    def thresholds(self):
        return list(self._thresholds)

    def reset_state(self):
        shape = (self.num_thresholds, self.num_labels) if self.multi_label and self.num_labels else None
        self.true_positives = self.false_positives = self.true_negatives = self.false_negatives = (
            None if shape is None and self.multi_label else np.zeros(shape or self.num_thresholds)
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, np.float32)
        if self._from_logits:
            y_pred = (1.0 / (1.0 + np.exp(-y_pred.astype(np.float64)))).astype(np.float32)
        if self.label_weights is not None and y_pred.shape[-1] != len(self.label_weights):
            raise ValueError(
                f"AUC has {len(self.label_weights)} label_weights but y_pred has {y_pred.shape[-1]} labels "
                f"(shape {y_pred.shape})"
            )
        counts = confusion_counts(
            y_true,
            y_pred,
            self._thresholds,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            evenly=self._evenly,
            metric="AUC",
        )
        if self.true_positives is None:  # multi_label without num_labels: the first batch sets the shape
            self.true_positives = self.false_positives = self.true_negatives = self.false_negatives = 0.0
        self.true_positives = self.true_positives + counts[0]
        self.false_positives = self.false_positives + counts[1]
        self.true_negatives = self.true_negatives + counts[2]
        self.false_negatives = self.false_negatives + counts[3]

    def result(self):
        if self.true_positives is None:
            return 0.0
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average(self._interpolated_pr_terms())
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def _interpolated_pr_terms(self):
        """Davis & Goadrich: TP and P = TP + FP vary linearly between thresholds; precision is integrated exactly."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        slope = divide_no_nan(dtp, np.maximum(p[:-1] - p[1:], 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both_positive, divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return divide_no_nan(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0))

    def _average(self, terms):
        if not self.multi_label:
            return as_result(terms.sum(), self.dtype)
        by_label = terms.sum(axis=0)
        if self.label_weights is None:
            return as_result(by_label.mean(), self.dtype)
        return as_result(divide_no_nan((by_label * self.label_weights).sum(), self.label_weights.sum()), self.dtype)

    def get_config(self):
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
