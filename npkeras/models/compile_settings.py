"""The settings compile() and fit() check: the compile config a .keras file keeps, batch size, validation frequency."""

import numpy as np

from npkeras import losses as losses_module
from npkeras import optimizers


def is_serialized_object(value):
    """A dict that is one serialized object ({"class_name": ..., "config": ...}), not a dict of them by output."""
    return isinstance(value, dict) and "class_name" in value


def compile_config(optimizer, loss, loss_weights, metrics, weighted_metrics, run_eagerly, steps_per_execution):
    """compile()'s arguments as get_compile_config() returns them (and a .keras file keeps them)."""
    return {
        "optimizer": optimizer if isinstance(optimizer, str) else optimizers.serialize(optimizers.get(optimizer)),
        "loss": _loss_config(loss),
        "loss_weights": loss_weights,
        "metrics": _metric_names(metrics),
        "weighted_metrics": _metric_names(weighted_metrics),
        "run_eagerly": run_eagerly,
        "steps_per_execution": steps_per_execution,
        "jit_compile": False,
    }


def _loss_config(loss):
    if loss is None or isinstance(loss, str) or is_serialized_object(loss):
        return loss
    if isinstance(loss, dict):
        return {k: _loss_config(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [_loss_config(v) for v in loss]
    return losses_module.serialize(losses_module.get(loss))


def _metric_names(metrics):
    """The metrics as given, each metric object by its name."""
    if metrics is None or isinstance(metrics, str) or is_serialized_object(metrics):
        return metrics
    if isinstance(metrics, dict):
        return {k: _metric_names(v) for k, v in metrics.items()}
    if isinstance(metrics, (list, tuple)):
        return [_metric_names(m) for m in metrics]
    return getattr(metrics, "name", None) or getattr(metrics, "__name__", str(metrics))


def check_batch_size(batch_size):
    if batch_size is None:
        return 32
    if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
    return int(batch_size)


def check_validation_freq(validation_freq):
    """An epoch interval (a positive integer) or the list of epochs (counted from 1) to validate after."""
    if isinstance(validation_freq, (list, tuple)):
        if all(isinstance(e, int) and not isinstance(e, bool) and e >= 1 for e in validation_freq):
            return
    elif isinstance(validation_freq, int) and not isinstance(validation_freq, bool) and validation_freq >= 1:
        return
    raise ValueError(
        "`validation_freq` must be a positive integer or a list of epochs (counted from 1). "
        f"Received: validation_freq={validation_freq!r}"
    )


def should_validate(epoch, validation_freq):
    """Whether fit validates after `epoch` (counted from 0), as Keras's _should_eval."""
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return epoch + 1 in validation_freq
