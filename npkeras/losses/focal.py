"""Focal cross-entropies (Lin et al., 2017): the cross-entropy scaled by (1 - p_t)^gamma, Keras 3's formulas."""

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import epsilon
from npkeras.losses.loss import LossFunctionWrapper, label_tensor, same_rank_pair
from npkeras.ops.crossentropy import logits_behind
from npkeras.ops.losses import SigmoidCrossEntropy


def binary_focal_crossentropy(
    y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """mean over `axis` of (1 - p_t)^gamma * bce, times alpha_t when `apply_class_balancing`."""
    y_true, y_pred = same_rank_pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    # Keras's TensorFlow backend takes the cross-entropy of a sigmoid's output from its logits
    logits, on_logits = logits_behind(y_pred, False, "binary_focal_crossentropy", "Sigmoid")
    if on_logits:
        bce = SigmoidCrossEntropy()(logits, y_true)
    else:
        eps = epsilon()
        p = ops.clip(y_pred, eps, 1 - eps)
        bce = -(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p))
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return ops.mean(focal, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """sum over `axis` of alpha (1 - p)^gamma * (-y log p), p renormalised and clipped."""
    y_pred = as_tensor(y_pred)
    y_true = label_tensor(y_true, y_pred.dtype)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"categorical_focal_crossentropy: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
            "they must match (one-hot labels)."
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    eps = epsilon()
    output = ops.clip(y_pred / ops.sum(y_pred, axis=axis, keepdims=True), eps, 1.0 - eps)
    cce = -y_true * ops.log(output)
    return ops.sum(alpha * ops.power(1.0 - output, gamma) * cce, axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name,
            reduction,
            dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name,
            reduction,
            dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
