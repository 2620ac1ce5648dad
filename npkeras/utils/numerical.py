"""to_categorical and normalize."""

import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encode integer class ids (shape (...,) -> (..., num_classes), float64 as in Keras)."""
    labels = np.asarray(x)
    if labels.dtype.kind == "f":
        if not np.all(labels == np.floor(labels)):
            raise ValueError("to_categorical expects integer class ids; received non-integer values.")
        labels = labels.astype(np.int64)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if labels.size and labels.min() < 0:
        raise ValueError(f"to_categorical expects non-negative class ids; received {labels.min()}.")
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    elif labels.size and labels.max() >= num_classes:
        raise ValueError(f"Class id {labels.max()} is out of range for num_classes={num_classes}.")
    out = np.zeros(labels.shape + (num_classes,))
    np.put_along_axis(out, labels[..., None], 1.0, axis=-1)
    return out


def normalize(x, axis=-1, order=2):
    x = np.asarray(x, dtype=np.float32)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.where(norm == 0, 1, norm)
