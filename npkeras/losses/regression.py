"""Regression losses: squared, absolute, percentage, squared-log errors, Huber, log-cosh, cosine similarity."""

import math

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import epsilon
from npkeras.losses.loss import LossFunctionWrapper, _same_rank, label_tensor, same_rank_pair


def _regression_pair(y_true, y_pred, loss_name):
    y_pred = as_tensor(y_pred)
    return _same_rank(label_tensor(y_true, y_pred.dtype), y_pred, loss_name), y_pred


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _regression_pair(y_true, y_pred, "mean_squared_error")
    return ops.mean(ops.square(y_pred - y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _regression_pair(y_true, y_pred, "mean_absolute_error")
    return ops.mean(ops.abs(y_pred - y_true), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _regression_pair(y_true, y_pred, "huber")
    error = ops.abs(y_pred - y_true)
    quadratic = ops.minimum(error, delta)
    linear = error - quadratic
    return ops.mean(0.5 * ops.square(quadratic) + delta * linear, axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean |(y_true - y_pred) / max(|y_true|, epsilon)| over the last axis."""
    y_true, y_pred = same_rank_pair(y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), epsilon())
    return 100.0 * ops.mean(ops.abs((y_true - y_pred) / scale), axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean (log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2 over the last axis."""
    y_true, y_pred = same_rank_pair(y_true, y_pred)
    eps = epsilon()
    second = ops.log(ops.maximum(y_true, eps) + 1.0)
    return ops.mean(ops.square(ops.log(ops.maximum(y_pred, eps) + 1.0) - second), axis=-1)


def log_cosh(y_true, y_pred):
    """mean log(cosh(y_pred - y_true)) over the last axis, as x + softplus(-2x) - log 2 (no overflow)."""
    y_true, y_pred = same_rank_pair(y_true, y_pred)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(x * -2.0) - math.log(2.0), axis=-1)


def l2_normalize(x, axis=-1):
    """x / max(||x||, epsilon) along `axis`, as Keras's ops.normalize (x * min(rsqrt(sum x^2), 1 / epsilon))."""
    squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(squares, epsilon() ** 2))


def cosine_similarity(y_true, y_pred, axis=-1):
    """The negated cosine of the angle between y_true and y_pred along `axis`: -1 when they point the same way."""
    y_true, y_pred = same_rank_pair(y_true, y_pred)
    return -ops.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, reduction, dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, reduction, dtype)


class Huber(LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name, reduction, dtype, delta=delta)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, reduction, dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name, reduction, dtype)


class LogCosh(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name, reduction, dtype)


class CosineSimilarity(LossFunctionWrapper):
    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, name, reduction, dtype, axis=axis)
