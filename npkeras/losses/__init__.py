"""Losses with Keras 3's names, defaults, reductions and string identifiers, one module per family."""

# (the helpers named "x as x" are re-exported: npkeras/losses.py held them before it became this package)
from npkeras.losses.crossentropy import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from npkeras.losses.crossentropy import (
    _axis_last as _axis_last,
)
from npkeras.losses.crossentropy import (
    _labels as _labels,
)
from npkeras.losses.focal import (
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from npkeras.losses.hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from npkeras.losses.loss import REDUCTIONS, Loss, LossFunctionWrapper, reduce_weighted
from npkeras.losses.loss import _check_weight_fits as _check_weight_fits
from npkeras.losses.loss import _same_rank as _same_rank
from npkeras.losses.probabilistic import KLDivergence, Poisson, kl_divergence, poisson
from npkeras.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from npkeras.losses.regression import (
    _regression_pair as _regression_pair,
)
from npkeras.losses.segmentation import Dice, Tversky, dice, tversky
from npkeras.utils.registry import resolve
from npkeras.utils.registry import serialize as serialize_object

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
bce = BCE = binary_crossentropy

_CLASSES = (
    SparseCategoricalCrossentropy,
    CategoricalCrossentropy,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCosh,
    Huber,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    Dice,
    Tversky,
)
# Keras 3's table: each loss by its class name and by its function's name, plus the short aliases
_TABLE = {cls.__name__: cls for cls in _CLASSES}
_TABLE.update({cls().fn.__name__: cls for cls in _CLASSES})
_TABLE.update(
    {
        "huber_loss": Huber,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
        "kld": KLDivergence,
        "KLD": KLDivergence,
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
    }
)


def get(identifier):
    """A Loss from a name, config dict, Loss instance or function `fn(y_true, y_pred)`."""
    loss = resolve("loss", identifier, _TABLE, instance_types=(Loss,))
    if not isinstance(loss, Loss):
        loss = LossFunctionWrapper(loss)
    return loss


def serialize(loss):
    return serialize_object(loss, "keras.losses")


__all__ = [
    "BCE",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLD",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "REDUCTIONS",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "bce",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "dice",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "kld",
    "log_cosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "reduce_weighted",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "tversky",
]
