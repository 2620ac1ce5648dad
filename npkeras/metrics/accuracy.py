"""Accuracy metrics: per-sample functions and their streaming wrappers."""

import numpy as np

from npkeras.metrics.metric import MeanMetricWrapper, mean_over_outputs, same_rank


def _squeeze_labels(y_true, y_pred):
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        return y_true.reshape(y_true.shape[:-1])
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = np.asarray(y_pred)
    y_true = _squeeze_labels(np.asarray(y_true), y_pred)
    return (y_pred.argmax(axis=-1) == y_true).astype(np.float32)


def categorical_accuracy(y_true, y_pred):
    return (np.asarray(y_pred).argmax(axis=-1) == np.asarray(y_true).argmax(axis=-1)).astype(np.float32)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Whether the thresholded prediction equals y_true exactly, as in Keras: a soft target such as 0.7
    matches neither 0 nor 1."""
    y_true, y_pred = same_rank(y_true, y_pred)
    return mean_over_outputs(((y_pred > threshold) == y_true).astype(np.float32))


def in_top_k(targets, predictions, k):
    """Whether each target's score is among its row's k largest (ties at the boundary count, as in TensorFlow)."""
    predictions = np.asarray(predictions).reshape(-1, np.shape(predictions)[-1])
    targets = np.asarray(targets).reshape(-1).astype(np.int64)
    if targets.size != len(predictions):
        raise ValueError(f"{targets.size} labels for {len(predictions)} rows of predictions")
    valid = (targets >= 0) & (targets < predictions.shape[-1])
    score = predictions[np.arange(len(predictions)), np.where(valid, targets, 0)]
    above = (predictions > score[:, None]).sum(axis=-1)
    return valid & np.isfinite(score) & (above < k)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_true = np.asarray(y_true).argmax(axis=-1)
    return in_top_k(y_true, y_pred, k).reshape(y_true.shape).astype(np.float32)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = np.asarray(y_pred)
    y_true = _squeeze_labels(np.asarray(y_true), y_pred)
    return in_top_k(y_true, y_pred, k).reshape(y_true.shape).astype(np.float32)


def accuracy(y_true, y_pred):
    y_true, y_pred = same_rank(y_true, y_pred)
    return (y_true == y_pred).astype(np.float32)


class Accuracy(MeanMetricWrapper):
    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name, dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name, dtype)


class CategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name, dtype)


class BinaryAccuracy(MeanMetricWrapper):
    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name, dtype, threshold=threshold)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name, dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name, dtype, k=k)
