"""Regression metrics: mean squared and mean absolute error, streamed."""

import numpy as np

from npkeras.metrics.metric import MeanMetricWrapper, mean_over_outputs, same_rank


def _pair(y_true, y_pred):
    y_true, y_pred = same_rank(y_true, y_pred)
    return y_true.astype(np.float64), y_pred.astype(np.float64)


def mean_squared_error(y_true, y_pred):
    """Per-sample mean over the outputs; a vector is one output per sample."""
    y_true, y_pred = _pair(y_true, y_pred)
    return mean_over_outputs((y_pred - y_true) ** 2)


def mean_absolute_error(y_true, y_pred):
    """Per-sample mean over the outputs; a vector is one output per sample."""
    y_true, y_pred = _pair(y_true, y_pred)
    return mean_over_outputs(np.abs(y_pred - y_true))


class MeanSquaredError(MeanMetricWrapper):
    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, dtype)
