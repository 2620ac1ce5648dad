"""Losses with Keras 3's names, defaults and reductions.

Cross-entropies on the output of a softmax or sigmoid use that op's logits directly (as
Keras's TensorFlow backend does), so the gradient skips the saturating probabilities.
"""

import warnings

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import epsilon
from npkeras.layers.masks import get_mask, set_mask
from npkeras.ops.activation import logits_of
from npkeras.ops.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy, SparseSoftmaxCrossEntropy
from npkeras.utils.naming import to_snake_case
from npkeras.utils.registry import resolve
from npkeras.utils.registry import serialize as serialize_object

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def _same_rank(y_true, y_pred, loss_name):
    """Squeeze a trailing 1 so (batch,) and (batch, 1) line up, as Keras does."""
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true.reshape(y_true.shape[:-1])
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_true = y_true.reshape(y_true.shape + (1,))
    if y_true.shape != y_pred.shape:
        try:
            np.broadcast_shapes(y_true.shape, y_pred.shape)
        except ValueError:
            raise ValueError(f"Shapes of y_true {y_true.shape} and y_pred {y_pred.shape} are incompatible.") from None
    return y_true


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


def _logits_of_activation(y_pred, from_logits, fn_name, op_name):
    """Use the logits behind a softmax/sigmoid output, as Keras's TensorFlow backend does."""
    logits = logits_of(y_pred)
    if logits is None:
        return y_pred, from_logits
    if from_logits:
        warnings.warn(
            f"`{fn_name}` received `from_logits=True`, but the `output` argument was produced by a "
            f"{op_name} activation and thus does not represent logits. Was this intended?",
            stacklevel=3,
        )
    return logits, True


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    y_pred = as_tensor(y_pred)
    if axis not in (-1, y_pred.ndim - 1):
        y_pred = ops.transpose(y_pred, _axis_last(y_pred.ndim, axis))
    labels = _labels(y_true, y_pred, "sparse_categorical_crossentropy", ignore_class)
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class
        labels = np.where(valid, labels, 0)
    y_pred, from_logits = _logits_of_activation(y_pred, from_logits, "sparse_categorical_crossentropy", "Softmax")
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
    y_true = as_tensor(np.asarray(y_true, dtype=y_pred.dtype))
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"categorical_crossentropy: y_true has shape {y_true.shape} but y_pred has shape "
            f"{y_pred.shape}; they must match (one-hot labels). For integer labels use "
            "sparse_categorical_crossentropy."
        )
    if label_smoothing:
        classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    y_pred, from_logits = _logits_of_activation(y_pred, from_logits, "categorical_crossentropy", "Softmax")
    if from_logits:
        return SoftmaxCrossEntropy(axis)(y_pred, y_true)
    eps = epsilon()
    probs = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    return -ops.sum(y_true * ops.log(ops.clip(probs, eps, 1 - eps)), axis=axis)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_pred = as_tensor(y_pred)
    y_true = _same_rank(np.asarray(y_true, dtype=y_pred.dtype), y_pred, "binary_crossentropy")
    y_true = as_tensor(np.broadcast_to(y_true, y_pred.shape))
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    y_pred, from_logits = _logits_of_activation(y_pred, from_logits, "binary_crossentropy", "Sigmoid")
    if from_logits:
        return ops.mean(SigmoidCrossEntropy()(y_pred, y_true), axis=axis)
    eps = epsilon()
    p = ops.clip(y_pred, eps, 1 - eps)
    bce = y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p)
    return -ops.mean(bce, axis=axis)


def _regression_pair(y_true, y_pred, loss_name):
    y_pred = as_tensor(y_pred)
    return as_tensor(_same_rank(np.asarray(y_true, dtype=y_pred.dtype), y_pred, loss_name)), y_pred


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


def reduce_weighted(values, sample_weight=None, reduction="sum_over_batch_size", loss_name="the loss"):
    """Apply sample weights, a loss mask and Keras's reduction to per-sample losses."""
    mask = get_mask(values)
    if mask is not None and reduction in ("sum_over_batch_size", "mean"):
        # as Keras: valid entries weigh total / valid, so the mean runs over valid entries only
        mask_weight = mask * (mask.size / (mask.sum() + epsilon()))
        sample_weight = mask_weight if sample_weight is None else np.asarray(sample_weight) * mask_weight
    if sample_weight is not None:
        weight = np.asarray(sample_weight, dtype=values.dtype)
        while weight.ndim > values.ndim and weight.shape[-1] == 1:
            weight = weight.reshape(weight.shape[:-1])
        while weight.ndim < values.ndim:
            weight = weight[..., None]
        _check_weight_fits(weight, values.shape, np.shape(sample_weight), loss_name)
        values = values * weight
    if reduction in ("none", None):
        return values
    if reduction == "sum":
        return ops.sum(values)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return ops.sum(values) / max(float(np.sum(np.broadcast_to(weight, values.shape))), epsilon())
    return ops.mean(values) if values.ndim else values


def _check_weight_fits(weight, values_shape, given_shape, loss_name):
    if weight.ndim > len(values_shape) or any(w not in (1, v) for w, v in zip(weight.shape, values_shape)):
        raise ValueError(
            f"`sample_weight` of shape {tuple(given_shape)} does not fit {loss_name}, whose values for this batch "
            f"have shape {tuple(values_shape)}: give one weight per sample or one per loss value."
        )


class Loss:
    """Base: `loss(y_true, y_pred, sample_weight=None)` reduces `call(y_true, y_pred)`."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in REDUCTIONS:
            raise ValueError(f"Invalid value for argument `reduction`: {reduction!r}. Expected one of {REDUCTIONS}.")
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = reduction
        self.dtype = dtype

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        values = self.call(y_true, y_pred)
        pred_mask = get_mask(y_pred)  # e.g. a masked sequence's timesteps
        if pred_mask is not None and pred_mask.shape == values.shape:
            own = get_mask(values)
            set_mask(values, pred_mask if own is None else own & pred_mask)
        return reduce_weighted(values, sample_weight, self.reduction, f'the loss "{self.name}"')

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A Loss that calls `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, name=None, reduction="sum_over_batch_size", dtype=None, **kwargs):
        super().__init__(name or fn.__name__, reduction, dtype)
        self.fn, self.fn_kwargs = fn, kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self.fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self.fn_kwargs}


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


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, reduction, dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, reduction, dtype)


class Huber(LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name, reduction, dtype, delta=delta)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_TABLE = {
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "binary_crossentropy": BinaryCrossentropy,
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError,
    "mae": MeanAbsoluteError,
    "huber": Huber,
    "huber_loss": Huber,
}
_TABLE.update({cls.__name__: cls for cls in set(_TABLE.values())})


def get(identifier):
    """A Loss from a name, config dict, Loss instance or function `fn(y_true, y_pred)`."""
    loss = resolve("loss", identifier, _TABLE, instance_types=(Loss,))
    if not isinstance(loss, Loss):
        loss = LossFunctionWrapper(loss)
    return loss


def serialize(loss):
    return serialize_object(loss, "keras.losses")


__all__ = [
    "Loss",
    "LossFunctionWrapper",
    "SparseCategoricalCrossentropy",
    "CategoricalCrossentropy",
    "BinaryCrossentropy",
    "MeanSquaredError",
    "MeanAbsoluteError",
    "Huber",
    "sparse_categorical_crossentropy",
    "categorical_crossentropy",
    "binary_crossentropy",
    "mean_squared_error",
    "mean_absolute_error",
    "huber",
    "mse",
    "mae",
    "get",
    "serialize",
]
