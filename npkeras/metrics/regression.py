"""Regression metrics: mean squared, absolute, percentage and squared-log errors, log-cosh, cosine, RMSE, streamed."""

import numpy as np

from npkeras import losses
from npkeras.metrics.loss_mean import LossMean
from npkeras.metrics.metric import Mean, MeanMetricWrapper, mean_over_outputs, same_rank


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


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between y_true and y_pred along `axis` (1 when they point the same way)."""
    return -np.asarray(losses.cosine_similarity(y_true, y_pred, axis=axis))


class MeanAbsolutePercentageError(LossMean):
    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name, dtype)


class MeanSquaredLogarithmicError(LossMean):
    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name, dtype)


class LogCoshError(LossMean):
    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name, dtype)


class CosineSimilarity(LossMean):
    """Keras's config of this metric leaves out `axis` (a restored one uses the last axis); ours keeps it."""

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """The square root of the (weighted) mean squared error over every value seen."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _pair(y_true, y_pred)
        super().update_state((y_pred - y_true) ** 2, sample_weight)

    def result(self):
        return float(np.sqrt(super().result()))
