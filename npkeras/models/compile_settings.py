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
    """The losses as given, each loss object serialized."""
    return _map_objects(lambda obj: losses_module.serialize(losses_module.get(obj)), loss)


def _metric_names(metrics):
    """The metrics as given: npkeras's own metric objects serialized (as Keras writes them, so arguments such as
    MeanIoU's num_classes come back), any other object by its name."""
    return _map_objects(_metric_spec, metrics)


def _metric_spec(obj):
    from npkeras import metrics as metrics_module
    from npkeras.utils.registry import serialize

    if type(obj) in metrics_module.builtin_classes():
        return serialize(obj, "keras.metrics")
    return getattr(obj, "name", None) or getattr(obj, "__name__", str(obj))


def _map_objects(fn, specs):
    """`specs` (names, objects, lists and dicts of them by output) with `fn` applied to each object."""
    if specs is None or isinstance(specs, str) or is_serialized_object(specs):
        return specs
    if isinstance(specs, dict):
        return {k: _map_objects(fn, v) for k, v in specs.items()}
    if isinstance(specs, (list, tuple)):
        return [_map_objects(fn, v) for v in specs]
    return fn(specs)


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
