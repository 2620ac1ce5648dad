"""Overlap losses for segmentation: Dice and Tversky (1 minus the overlap score, over `axis` or everything)."""

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import epsilon
from npkeras.losses.loss import LossFunctionWrapper, label_tensor


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def dice(y_true, y_pred, axis=None):
    """1 - 2 sum(y_true y_pred) / (sum y_true + sum y_pred + epsilon), summed over `axis` (None: all)."""
    y_pred = as_tensor(y_pred)
    y_true = label_tensor(y_true, y_pred.dtype)
    axis = _axis(axis)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    return 1 - 2.0 * intersection / (ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon())


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """1 - TP / (TP + alpha FP + beta FN + epsilon), Keras's soft counts, summed over `axis` (None: all)."""
    y_pred = as_tensor(y_pred)
    y_true = label_tensor(y_true, y_pred.dtype)
    axis = _axis(axis)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    fp = ops.sum((1 - y_pred) * y_true, axis=axis)
    fn = ops.sum(y_pred * (1 - y_true), axis=axis)
    return 1 - intersection / (intersection + fp * alpha + fn * beta + epsilon())


class Dice(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name, reduction, dtype, axis=axis)


class Tversky(LossFunctionWrapper):
    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        super().__init__(tversky, name, reduction, dtype, alpha=alpha, beta=beta, axis=axis)
