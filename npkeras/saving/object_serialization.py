"""serialize_keras_object / deserialize_keras_object: any Keras object to Keras 3's config dicts and back.

Each kind of object keeps its own serializer (layers, models, losses, metrics, optimizers, schedules,
initializers, regularizers, functions); these two functions pick the right one, and handle the plain values,
containers and arrays around them as Keras does ("__numpy__", "__tensor__", "__bytes__" entries). Nothing a
config names is imported or executed: classes come from npkeras, the registry or `custom_objects`.
"""

import numpy as np

from npkeras.saving.registration import custom_object_scope, custom_table, get_registered_name, safe_mode_scope

_PLAIN = (str, int, float, bool)


def _kinds():
    """{Keras module: (class, serialize, deserialize from a config dict)} for each kind, most specific first."""
    from npkeras import initializers, losses, metrics, optimizers, regularizers
    from npkeras.layers import serialization as layer_serialization
    from npkeras.layers.layer import Layer
    from npkeras.models.model import Model
    from npkeras.optimizers import schedules
    from npkeras.saving import model_files

    return {
        "keras": (Model, model_files.serialize_model, model_files.deserialize_model),
        "keras.layers": (Layer, layer_serialization.serialize, layer_serialization.deserialize),
        "keras.losses": (losses.Loss, losses.serialize, losses.get),
        "keras.metrics": (metrics.Metric, lambda m: _with_get_config(m, "keras.metrics"), metrics.get),
        "keras.optimizers": (optimizers.Optimizer, optimizers.serialize, optimizers.get),
        "keras.optimizers.schedules": (schedules.LearningRateSchedule, schedules.serialize, schedules.deserialize),
        "keras.initializers": (initializers.Initializer, initializers.serialize, initializers.get),
        "keras.regularizers": (regularizers.Regularizer, regularizers.serialize, regularizers.get),
    }


def _with_get_config(obj, module):
    registered = get_registered_name(type(obj))
    custom = ">" in registered
    return {
        "module": type(obj).__module__ if custom else module,
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": registered if custom else None,
    }


def serialize_keras_object(obj):
    """The Keras 3 config of `obj` (a layer, model, loss, metric, optimizer, initializer, function, or plain
    values and containers of them), as `keras.saving.serialize_keras_object` writes it."""
    from npkeras.autograd.tensor import Tensor
    from npkeras.saving.functions import serialize_function

    if obj is None or isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(item) for item in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, Tensor):
        return {"class_name": "__tensor__", "config": {"value": obj.data.tolist(), "dtype": str(obj.dtype)}}
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": str(obj.dtype)}}
        return obj.item()
    for cls, serialize, _ in _kinds().values():
        if isinstance(obj, cls):
            return serialize(obj)
    if callable(obj) and not hasattr(obj, "get_config"):
        if _is_activation(obj):  # Keras's public and registered functions: builtins, by registered name
            return {
                "module": "builtins",
                "class_name": "function",
                "config": get_registered_name(obj),
                "registered_name": "function",
            }
        return serialize_function(obj)
    if hasattr(obj, "get_config"):
        return _with_get_config(obj, type(obj).__module__)
    raise TypeError(f"Cannot serialize {obj!r} (of type {type(obj).__name__}): it has no `get_config()`.")


def _is_activation(fn):
    from npkeras import activations

    try:
        return activations.get(getattr(fn, "__name__", None)) is fn
    except (ValueError, TypeError):
        return False


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object a `serialize_keras_object` config describes, as `keras.saving.deserialize_keras_object`."""
    with custom_object_scope(custom_objects or {}), safe_mode_scope(safe_mode):
        return _deserialize(config)


def _deserialize(config):
    if config is None or isinstance(config, _PLAIN):
        return config
    if isinstance(config, (list, tuple)):
        items = [_deserialize(item) for item in config]
        return tuple(items) if isinstance(config, tuple) else items
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config!r:.200}")
    if "class_name" not in config or "config" not in config:
        return {key: _deserialize(value) for key, value in config.items()}
    class_name, inner = config["class_name"], config["config"]
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__numpy__":
        return np.asarray(inner["value"], dtype=inner["dtype"])
    if class_name == "__tensor__":
        from npkeras.autograd.tensor import Tensor

        return Tensor(np.asarray(inner["value"], dtype=inner["dtype"]))
    if class_name in ("function", "__lambda__"):
        from npkeras.saving.functions import deserialize_function

        return deserialize_function(config)
    custom = custom_table()
    registered = config.get("registered_name")
    cls = custom.get(registered) if isinstance(registered, str) else None
    cls = cls or custom.get(class_name)
    kinds = _kinds()
    for kind, _, deserialize in kinds.values():
        if isinstance(cls, type) and issubclass(cls, kind):
            return deserialize(config)
    if isinstance(cls, type):
        return cls.from_config(inner)
    return _by_module(config, kinds)


def _by_module(config, kinds):
    """A built-in object by the Keras module its config names ("keras.layers", "keras.losses", ...)."""
    module = config.get("module") or ""
    if module.startswith("keras.src.models"):
        module = "keras"
    if module not in kinds:
        raise ValueError(
            f"Could not locate class '{config['class_name']}' (module {module!r}). Make sure custom classes are "
            "decorated with `@npkeras.saving.register_keras_serializable()` or passed as `custom_objects`."
        )
    return kinds[module][2](config)
