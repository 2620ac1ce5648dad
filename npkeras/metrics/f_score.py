"""FBetaScore and F1Score over one-hot (or multi-label) targets, per class or averaged."""

import numpy as np

from npkeras.metrics.confusion_metrics import as_result
from npkeras.metrics.metric import Metric

EPSILON = 1e-7
AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """(1 + b^2) P R / (b^2 P + R) from counts of every batch; y_pred thresholded, or its row maximum if none."""

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name, dtype)
        if average not in AVERAGES:
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. "
                f"Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                f"Invalid `beta` argument value. It should be a Python float. Received: beta={beta} of type "
                f"'{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: "
                    f"threshold={threshold}"
                )
        self.average, self.beta, self.threshold = average, beta, threshold
        self.reset_state()

    def reset_state(self):
        self.true_positives = self.false_positives = self.false_negatives = self.intermediate_weights = None

    def _check(self, y_true, y_pred):
        if y_pred.ndim != 2 or y_true.ndim != 2:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                f"y_pred.shape={y_pred.shape} and y_true.shape={y_true.shape}."
                + (" Integer class labels must be one-hot encoded first." if y_true.ndim == 1 else "")
            )
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"{type(self).__name__} expects y_true and y_pred of the same shape. Received: "
                f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
            )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float32)
        self._check(y_true, y_pred)
        if self.threshold is None:
            predicted = (y_pred >= y_pred.max(axis=-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.astype(np.float64)
        weight = 1.0 if sample_weight is None else np.asarray(sample_weight, np.float64).reshape(-1, 1)
        axis = None if self.average == "micro" else 0
        sums = [
            np.sum(v * weight, axis=axis)
            for v in (predicted * y_true, predicted * (1 - y_true), (1 - predicted) * y_true, y_true)
        ]
        if self.true_positives is None:
            self.true_positives = self.false_positives = self.false_negatives = self.intermediate_weights = 0.0
        self.true_positives = self.true_positives + sums[0]
        self.false_positives = self.false_positives + sums[1]
        self.false_negatives = self.false_negatives + sums[2]
        self.intermediate_weights = self.intermediate_weights + sums[3]

    def result(self):
        if self.true_positives is None:
            return 0.0
        tp = np.asarray(self.true_positives, np.float64)
        precision = tp / (tp + self.false_positives + EPSILON)
        recall = tp / (tp + self.false_negatives + EPSILON)
        b2 = self.beta**2
        score = (1 + b2) * precision * recall / (b2 * precision + recall + EPSILON)
        if self.average == "weighted":
            weights = self.intermediate_weights / (np.sum(self.intermediate_weights) + EPSILON)
            score = np.sum(score * weights)
        elif self.average is not None:
            score = np.mean(score)
        return as_result(score, self.dtype)

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """The harmonic mean of precision and recall: FBetaScore with beta 1."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
