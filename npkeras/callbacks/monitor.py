"""Which way a monitored quantity improves, shared by EarlyStopping and ModelCheckpoint (Keras 3's rules)."""

import operator
import warnings

_MAXIMIZED = ("accuracy", "acc", "auc", "precision", "recall", "f1_score", "fbeta_score")


def improvement_op(callback_name, monitor, mode):
    """operator.gt or operator.lt for `monitor`; mode "auto" reads the metric's name."""
    if mode not in ("auto", "min", "max"):
        warnings.warn(f"{callback_name} mode {mode} is unknown, fallback to auto mode.", stacklevel=3)
        mode = "auto"
    if mode == "min":
        return operator.lt
    if mode == "max":
        return operator.gt
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith(("loss", "error", "mean_squared_error", "mean_absolute_error", "mse", "mae")):
        return operator.lt
    if name.endswith(_MAXIMIZED) or name.startswith(("fbeta", "top_k")):
        return operator.gt
    raise ValueError(
        f"{callback_name} callback received monitor={monitor}, but npkeras isn't able to automatically determine "
        "whether that metric should be maximized or minimized. Pass `mode='max'` in order to monitor based on "
        "the highest metric value, or pass `mode='min'` in order to use the lowest value."
    )


def warn_missing(callback_name, monitor, logs):
    warnings.warn(
        f"{callback_name} is conditioned on metric `{monitor}` which is not available. Available metrics are: "
        f"{','.join(logs)}",
        stacklevel=3,
    )
