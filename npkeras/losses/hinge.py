"""Hinge losses for maximum-margin classifiers: hinge, squared hinge and categorical hinge."""

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.losses.loss import LossFunctionWrapper, label_tensor, same_rank_pair


def hinge_labels(y_true):
    """Labels that are all 0 or 1 become -1 or 1, as Keras does; any other labels stay as they are."""
    values = y_true.data
    if np.all((values == 0) | (values == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred):
    """mean max(1 - y_true * y_pred, 0) over the last axis; labels -1/1 (or 0/1, converted)."""
    y_true, y_pred = same_rank_pair(y_true, y_pred)
    return ops.mean(ops.maximum(1.0 - hinge_labels(y_true) * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """mean max(1 - y_true * y_pred, 0)^2 over the last axis; labels -1/1 (or 0/1, converted)."""
    y_true, y_pred = same_rank_pair(y_true, y_pred)
    return ops.mean(ops.square(ops.maximum(1.0 - hinge_labels(y_true) * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) over the last axis (one-hot y_true)."""
    y_pred = as_tensor(y_pred)
    y_true = label_tensor(y_true, y_pred.dtype)
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(negative - positive + 1.0, 0.0)


class Hinge(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name, reduction, dtype)


class SquaredHinge(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name, reduction, dtype)


class CategoricalHinge(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name, reduction, dtype)
