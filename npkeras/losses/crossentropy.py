"""Cross-entropy losses: sparse, categorical and binary, and their focal forms (Keras 3's formulas).

Cross-entropies on the output of a softmax or sigmoid use that op's logits directly (as
Keras's TensorFlow backend does), so the gradient skips the saturating probabilities.
"""

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import epsilon
from npkeras.layers.masks import set_mask
from npkeras.losses.loss import LossFunctionWrapper, _same_rank, label_tensor
from npkeras.ops.crossentropy import logits_behind
from npkeras.ops.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy, SparseSoftmaxCrossEntropy


def _labels(y_true, y_pred, loss_name, ignore_class=None):
    """Integer class ids shaped like y_pred without its class axis, range-checked (but for ignore_class)."""
    labels = np.asarray(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"{loss_name}: expected integer labels of shape {y_pred.shape[:-1]} (y_pred has shape "
            f"{y_pred.shape}), but received labels of shape {np.shape(y_true)}. For one-hot "
            "labels use categorical_crossentropy."
        )
    if labels.dtype.kind == "f":
        if not np.all(labels == np.floor(labels)):
            raise ValueError(
                f"{loss_name}: labels must be integer class ids; received non-integer values "
                "(probabilities belong to categorical_crossentropy)."
            )
        labels = labels.astype(np.int64)
    elif labels.dtype.kind not in "iub":
        raise ValueError(f"{loss_name}: labels must be integers. Received dtype {labels.dtype}.")
    classes = y_pred.shape[-1]
    checked = labels if ignore_class is None else labels[labels != ignore_class]
    if checked.size and (checked.min() < 0 or checked.max() >= classes):
        bad = checked[(checked < 0) | (checked >= classes)][0]
        raise ValueError(
            f"{loss_name}: received a label value of {bad} which is outside the valid range "
            f"of [0, {classes}). y_pred has {classes} classes."
        )
    return labels


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    y_pred = as_tensor(y_pred)
    if axis not in (-1, y_pred.ndim - 1):
        y_pred = ops.transpose(y_pred, _axis_last(y_pred.ndim, axis))
    labels = _labels(y_true, y_pred, "sparse_categorical_crossentropy", ignore_class)
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class
        labels = np.where(valid, labels, 0)
    y_pred, from_logits = logits_behind(y_pred, from_logits, "sparse_categorical_crossentropy", "Softmax")
    if not from_logits:  # log-probabilities: softmax of them renormalises, as Keras does
        eps = epsilon()
        y_pred = ops.log(ops.clip(y_pred, eps, 1 - eps))
    loss = SparseSoftmaxCrossEntropy(labels)(y_pred)
    if valid is not None:
        loss = loss * valid.astype(loss.dtype)
        set_mask(loss, valid)  # the reduction averages over the valid entries only
    return loss


def _axis_last(ndim, axis):
    axis %= ndim
    return [a for a in range(ndim) if a != axis] + [axis]


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_pred = as_tensor(y_pred)
    y_true = label_tensor(y_true, y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"categorical_crossentropy: y_true has shape {y_true.shape} but y_pred has shape "
            f"{y_pred.shape}; they must match (one-hot labels). For integer labels use "
            "sparse_categorical_crossentropy."
        )
    if label_smoothing:
        classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    y_pred, from_logits = logits_behind(y_pred, from_logits, "categorical_crossentropy", "Softmax")
    if from_logits:
        return SoftmaxCrossEntropy(axis)(y_pred, y_true)
    eps = epsilon()
    probs = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    return -ops.sum(y_true * ops.log(ops.clip(probs, eps, 1 - eps)), axis=axis)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_pred = as_tensor(y_pred)
    y_true = _same_rank(label_tensor(y_true, y_pred.dtype), y_pred, "binary_crossentropy")
    if y_true.shape != y_pred.shape:
        y_true = ops.broadcast_to(y_true, y_pred.shape)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    y_pred, from_logits = logits_behind(y_pred, from_logits, "binary_crossentropy", "Sigmoid")
    if from_logits:
        return ops.mean(SigmoidCrossEntropy()(y_pred, y_true), axis=axis)
    eps = epsilon()
    p = ops.clip(y_pred, eps, 1 - eps)
    bce = y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p)
    return -ops.mean(bce, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy, name, reduction, dtype, from_logits=from_logits, ignore_class=ignore_class
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
