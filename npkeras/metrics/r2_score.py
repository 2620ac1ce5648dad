"""R2Score: the coefficient of determination, from per-output sums accumulated over batches (Keras's rules)."""

import warnings

import numpy as np

from npkeras.metrics.confusion_metrics import as_result
from npkeras.metrics.metric import Metric, same_rank

AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """1 - residual / total sum of squares per output, then averaged (uniformly or by variance) or not at all;
    `num_regressors` > 0 gives the adjusted score 1 - (1 - R2)(n - 1) / (n - p - 1), n counting every value."""

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name, dtype)
        if class_aggregation not in AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {AGGREGATIONS}. "
                f"Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                f"Invalid value for argument `num_regressors`. Expected a value >= 0. Received: "
                f"num_regressors={num_regressors}"
            )
        self.class_aggregation, self.num_regressors = class_aggregation, num_regressors
        self.reset_state()

    def reset_state(self):
        self.num_samples = 0.0
        self.sum = self.squared_sum = self.total_mse = self.count = None  # shaped by the first batch

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = same_rank(y_true, y_pred)
        y_true, y_pred = y_true.astype(np.float64), y_pred.astype(np.float64)
        if y_true.ndim != 2 or y_pred.ndim != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                f"y_pred.shape={y_pred.shape} and y_true.shape={y_true.shape}."
            )
        weight = np.float64(1.0) if sample_weight is None else np.asarray(sample_weight, np.float64)
        if weight.ndim == 1:
            weight = weight[:, None]
        weight = np.broadcast_to(weight, y_true.shape)
        if self.sum is None:
            self.sum, self.squared_sum, self.total_mse, self.count = (np.zeros(y_pred.shape[-1]) for _ in range(4))
        self.sum = self.sum + (y_true * weight).sum(axis=0)
        self.squared_sum = self.squared_sum + (y_true * y_true * weight).sum(axis=0)
        self.total_mse = self.total_mse + ((y_true - y_pred) ** 2 * weight).sum(axis=0)
        self.count = self.count + weight.sum(axis=0)
        self.num_samples += y_true.size

    def result(self):
        if self.sum is None:
            return 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.sum / self.count
            total = self.squared_sum - self.sum * mean
            raw = 1 - self.total_mse / total
        raw = np.where(np.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw).sum() / total.sum()
        else:
            score = raw
        if self.num_regressors:
            n, p = self.num_samples, self.num_regressors
            if p > n - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. Falling back to standard "
                    "R2 score.",
                    stacklevel=2,
                )
            elif p == n - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.", stacklevel=2)
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        return as_result(score, self.dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
