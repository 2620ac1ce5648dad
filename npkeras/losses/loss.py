"""Loss and LossFunctionWrapper: Keras 3's reductions, sample weights and masks over per-sample losses."""

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.backend.config import epsilon
from npkeras.layers.masks import get_mask, set_mask
from npkeras.utils.naming import to_snake_case

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def label_tensor(y_true, dtype):
    """y_true as a Tensor of `dtype`. A Tensor stays in the graph, as in Keras, whose losses differentiate with
    respect to both arguments (a teacher's predictions as the target get gradients); arrays are constants."""
    if isinstance(y_true, Tensor):
        return ops.cast(y_true, dtype)
    return as_tensor(np.asarray(y_true, dtype=dtype))


def _same_rank(y_true, y_pred, loss_name):
    """Squeeze a trailing 1 so (batch,) and (batch, 1) line up, as Keras does."""
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = _reshape(y_true, tuple(y_true.shape[:-1]))
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_true = _reshape(y_true, tuple(y_true.shape) + (1,))
    if y_true.shape != y_pred.shape:
        try:
            np.broadcast_shapes(y_true.shape, y_pred.shape)
        except ValueError:
            raise ValueError(f"Shapes of y_true {y_true.shape} and y_pred {y_pred.shape} are incompatible.") from None
    return y_true


def squeeze_or_expand_to_same_rank(y_true, y_pred):
    """Keras's rank alignment of labels and predictions: when one has an extra trailing axis of 1, a vector partner
    becomes a column, else that axis goes. Arrays stay arrays and Tensors stay Tensors."""
    y_true = y_true if hasattr(y_true, "shape") else np.asarray(y_true)
    y_pred = y_pred if hasattr(y_pred, "shape") else np.asarray(y_pred)
    true_rank, pred_rank = len(y_true.shape), len(y_pred.shape)
    if true_rank == pred_rank + 1 and y_true.shape[-1] == 1:
        if pred_rank == 1:
            y_pred = _reshape(y_pred, tuple(y_pred.shape) + (1,))
        else:
            y_true = _reshape(y_true, tuple(y_true.shape[:-1]))
    elif pred_rank == true_rank + 1 and y_pred.shape[-1] == 1:
        if true_rank == 1:
            y_true = _reshape(y_true, tuple(y_true.shape) + (1,))
        else:
            y_pred = _reshape(y_pred, tuple(y_pred.shape[:-1]))
    return y_true, y_pred


def _reshape(x, shape):
    return ops.reshape(x, shape) if isinstance(x, Tensor) else x.reshape(shape)


def same_rank_pair(y_true, y_pred):
    """squeeze_or_expand_to_same_rank with y_true as a Tensor of y_pred's dtype (label_tensor) and y_pred as a
    Tensor."""
    y_pred = as_tensor(y_pred)
    return squeeze_or_expand_to_same_rank(label_tensor(y_true, y_pred.dtype), y_pred)


def reduce_weighted(values, sample_weight=None, reduction="sum_over_batch_size", loss_name="the loss"):
    """Apply sample weights, a loss mask and Keras's reduction to per-sample losses."""
    mask = get_mask(values)
    if mask is not None and reduction in ("sum_over_batch_size", "mean"):
        # as Keras: valid entries weigh total / valid, so the mean runs over valid entries only
        mask_weight = mask * (mask.size / (mask.sum() + epsilon()))
        sample_weight = mask_weight if sample_weight is None else np.asarray(sample_weight) * mask_weight
    if sample_weight is not None:
        weight = np.asarray(sample_weight, dtype=values.dtype)
        if values.ndim == 0:  # one loss for the whole batch (Dice over every axis): each weight scales it, as Keras
            values = values * weight
        else:
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
        if not isinstance(y_pred, (list, tuple, dict)):  # as Keras, the function sees labels of the predictions' rank
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self.fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self.fn_kwargs}
