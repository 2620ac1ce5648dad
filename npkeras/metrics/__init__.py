"""Streaming metrics and how compile() resolves metric names."""

from npkeras.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
)
from npkeras.metrics.metric import Mean, MeanMetricWrapper, Metric
from npkeras.metrics.regression import (
    MeanAbsoluteError,
    MeanSquaredError,
    mean_absolute_error,
    mean_squared_error,
)
from npkeras.utils.registry import resolve

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_TABLE = {
    cls.__name__: cls
    for cls in (
        Accuracy,
        BinaryAccuracy,
        CategoricalAccuracy,
        SparseCategoricalAccuracy,
        MeanSquaredError,
        MeanAbsoluteError,
        Mean,
    )
}
_TABLE.update(
    {
        "accuracy": Accuracy,
        "binary_accuracy": BinaryAccuracy,
        "categorical_accuracy": CategoricalAccuracy,
        "sparse_categorical_accuracy": SparseCategoricalAccuracy,
        "mean_squared_error": MeanSquaredError,
        "mean_absolute_error": MeanAbsoluteError,
        "mse": MeanSquaredError,
        "mae": MeanAbsoluteError,
    }
)


def get(identifier):
    """A Metric from a name, config, instance or function `fn(y_true, y_pred)`."""
    metric = resolve("metric", identifier, _TABLE, instance_types=(Metric,))
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    return metric


def for_compile(identifier, y_true_shape, y_pred_shape):
    """Resolve a compile() metric the way Keras does.

    "accuracy"/"acc" becomes binary, sparse categorical or categorical accuracy from the
    shapes of the labels and predictions; string metrics keep the string as their log name.
    """
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        if y_pred_shape[-1] == 1:
            return BinaryAccuracy(name=identifier)
        sparse = len(y_true_shape) < len(y_pred_shape) or (
            len(y_true_shape) == len(y_pred_shape) and y_true_shape[-1] == 1
        )
        if sparse:
            return SparseCategoricalAccuracy(name=identifier)
        return CategoricalAccuracy(name=identifier)
    metric = get(identifier)
    if isinstance(identifier, str):
        metric.name = identifier
    return metric


__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "Mean",
    "MeanMetricWrapper",
    "Metric",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "mean_absolute_error",
    "mean_squared_error",
    "mse",
    "mae",
    "get",
    "for_compile",
]
