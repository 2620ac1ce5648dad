"""Streaming metrics and how compile() resolves metric names."""

from npkeras.losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from npkeras.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from npkeras.metrics.auc import AUC
from npkeras.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from npkeras.metrics.f_score import F1Score, FBetaScore
from npkeras.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from npkeras.metrics.iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from npkeras.metrics.metric import Mean, MeanMetricWrapper, Metric, Sum
from npkeras.metrics.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from npkeras.metrics.r2_score import R2Score
from npkeras.metrics.regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    mean_absolute_error,
    mean_squared_error,
)
from npkeras.metrics.sensitivity_specificity import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from npkeras.utils.naming import to_snake_case
from npkeras.utils.registry import resolve

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_CLASSES = (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TruePositives,
    FalsePositives,
    TrueNegatives,
    FalseNegatives,
    Precision,
    Recall,
    AUC,
    F1Score,
    FBetaScore,
    MeanSquaredError,
    MeanAbsoluteError,
    Mean,
    Sum,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    CosineSimilarity,
    LogCoshError,
    R2Score,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
# Keras 3's table: every class by its name and its snake_case name, plus the short regression aliases.
_TABLE = {cls.__name__: cls for cls in _CLASSES}
_TABLE.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
_TABLE.update({"mse": MeanSquaredError, "MSE": MeanSquaredError, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError})
_TABLE.update({"bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "mape": MeanAbsolutePercentageError,
               "MAPE": MeanAbsolutePercentageError, "msle": MeanSquaredLogarithmicError,
               "MSLE": MeanSquaredLogarithmicError})  # fmt: skip


def builtin_classes():
    """npkeras's own metric classes, the ones `get` finds by name."""
    return _CLASSES


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
    "AUC",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "IoU",
    "KLDivergence",
    "LogCoshError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanSquaredLogarithmicError",
    "OneHotIoU",
    "OneHotMeanIoU",
    "Poisson",
    "PrecisionAtRecall",
    "R2Score",
    "RecallAtPrecision",
    "RootMeanSquaredError",
    "SensitivityAtSpecificity",
    "SparseCategoricalCrossentropy",
    "SpecificityAtSensitivity",
    "SquaredHinge",
    "Sum",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "poisson",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "Recall",
    "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
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
