"""Losses between distributions or rates: Kullback-Leibler divergence and Poisson."""

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import epsilon
from npkeras.losses.loss import LossFunctionWrapper, label_tensor


def kl_divergence(y_true, y_pred):
    """sum y_true * log(y_true / y_pred) over the last axis, both clipped to [epsilon, 1]."""
    y_pred = as_tensor(y_pred)
    eps = epsilon()
    y_true = ops.clip(label_tensor(y_true, y_pred.dtype), eps, 1)
    return ops.sum(y_true * (ops.log(y_true) - ops.log(ops.clip(y_pred, eps, 1))), axis=-1)


def poisson(y_true, y_pred):
    """mean y_pred - y_true * log(y_pred + epsilon) over the last axis."""
    y_pred = as_tensor(y_pred)
    y_true = label_tensor(y_true, y_pred.dtype)
    return ops.mean(y_pred - y_true * ops.log(y_pred + epsilon()), axis=-1)


class KLDivergence(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name, reduction, dtype)


class Poisson(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name, reduction, dtype)
