"""Keras's crossentropy ops (keras.ops.binary_crossentropy, categorical_crossentropy,
sparse_categorical_crossentropy): the unreduced loss per element (binary) or per sample (the
categorical forms), on the fused ops of npkeras.ops.losses.

As Keras's TensorFlow backend does, an `output` made by softmax (last axis) or sigmoid is replaced by
the logits behind it, so the loss is computed stably from them.
"""

import warnings

import numpy as np

from npkeras.autograd.tensor import as_tensor
from npkeras.backend.config import epsilon
from npkeras.ops.activation import logits_of
from npkeras.ops.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy, SparseSoftmaxCrossEntropy


def logits_behind(output, from_logits, fn_name, op_type):
    """The logits behind a softmax/sigmoid output (and from_logits=True), as Keras's TensorFlow backend uses them;
    other outputs as given."""
    logits = logits_of(output)
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was produced by a '
            f"{op_type} activation and thus does not represent logits. Was this intended?",
            stacklevel=3,
        )
    return logits, True


def _same_shape(target, output):
    if target.ndim != output.ndim:
        raise ValueError(
            "Arguments `target` and `output` must have the same rank (ndim). "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )


def binary_crossentropy(target, output, from_logits=False):
    from npkeras.ops import math

    output = as_tensor(output)
    target = math.cast(as_tensor(target), output.dtype)
    _same_shape(target, output)
    output, from_logits = logits_behind(output, from_logits, "binary_crossentropy", "Sigmoid")
    if from_logits:
        return SigmoidCrossEntropy()(output, target)
    eps = epsilon()
    p = math.clip(output, eps, 1.0 - eps)
    bce = math.add(math.multiply(target, math.log(p)), math.multiply(math.subtract(1.0, target), math.log(1.0 - p)))
    return math.negative(bce)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    from npkeras.ops import math, reduction

    output = as_tensor(output)
    target = math.cast(as_tensor(target), output.dtype)
    if target.ndim < 1:
        raise ValueError(
            "Arguments `target` and `output` must be at least rank 1. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    _same_shape(target, output)
    if axis in (-1, output.ndim - 1):
        output, from_logits = logits_behind(output, from_logits, "categorical_crossentropy", "Softmax")
    if from_logits:
        return SoftmaxCrossEntropy(axis)(output, target)
    eps = epsilon()
    probs = math.divide(output, reduction.sum(output, axis, keepdims=True))
    return math.negative(reduction.sum(math.multiply(target, math.log(math.clip(probs, eps, 1.0 - eps))), axis))


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    from npkeras.ops import math

    output = as_tensor(output)
    if axis not in (-1, output.ndim - 1):
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    output, from_logits = logits_behind(output, from_logits, "sparse_categorical_crossentropy", "Softmax")
    labels = np.asarray(target.data if hasattr(target, "data") else target)
    if labels.ndim == output.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if output.ndim < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: output.shape={output.shape}")
    if labels.ndim != output.ndim - 1:
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim - 1`. "
            f"Received: target.shape={labels.shape}, output.shape={output.shape}"
        )
    if labels.shape != output.shape[:-1]:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last dimension: "
            f"target.shape={labels.shape}, output.shape={output.shape}"
        )
    labels = labels.astype(np.int64)
    classes = output.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)][0]
        raise ValueError(f"Received a label value of {bad} which is outside the valid range of [0, {classes}).")
    if not from_logits:
        eps = epsilon()
        output = math.log(math.clip(output, eps, 1.0 - eps))
    return SparseSoftmaxCrossEntropy(labels)(output)
