"""Layer configs in Keras 3's serialized form ({"module", "class_name", "config", ...})."""

from npkeras.saving.object_serialization import serialize_keras_object
from npkeras.saving.registration import custom_table, get_registered_name
from npkeras.utils.registry import resolve
from npkeras.utils.registry import serialize as serialize_object


def _table():
    """Every npkeras layer class under its Keras name (aliases such as MaxPool2D included)."""
    from npkeras import layers
    from npkeras.layers.layer import Layer

    return {
        name: cls
        for name in layers.__all__
        if isinstance(cls := getattr(layers, name), type) and issubclass(cls, Layer) and cls is not Layer
    }


def serialize(layer):
    from npkeras.layers.symbolic_operation import SymbolicOperation

    if isinstance(layer, SymbolicOperation):  # a keras.ops call: Keras's operation class, module and config
        config = serialize_object(layer, layer.keras_module)
        config["registered_name"] = type(layer).__name__
        return config
    module = type(layer).__module__
    if module.startswith("npkeras."):
        config = serialize_object(layer, "keras.layers")
    else:  # a custom class, as Keras names it: its module (None for __main__) and its registered or own name
        config = serialize_object(layer, None if module == "__main__" else module)
        config["registered_name"] = get_registered_name(type(layer))
    config["config"] = serialize_keras_object(config["config"])  # numpy values as Keras writes them
    build_config = layer.get_build_config()
    if build_config:
        config["build_config"] = serialize_keras_object(build_config)
    return config


def is_keras_module(module):
    """Modules a file may name for built-in classes; npkeras never imports a module a file names."""
    return module is None or module == "keras" or module.startswith(("keras.", "npkeras"))


def deserialize(config, custom_objects=None):
    """A layer from its serialized config; unknown classes and foreign modules are refused (no code is run). A
    layer with its own build_from_config is built by it from the config's build_config, as Keras builds it."""
    from npkeras.layers.layer import Layer

    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"A serialized layer must be a dict with a 'class_name'. Received: {config!r:.200}")
    name, module, registered = config["class_name"], config.get("module"), config.get("registered_name")
    custom = custom_table(custom_objects)
    cls = custom.get(registered) if isinstance(registered, str) else None
    if cls is None:
        cls = custom.get(name)
    if cls is None:
        from npkeras.layers.symbolic_operation import class_for_config

        cls = class_for_config(name, module)
    if cls is None:
        if not isinstance(module, (str, type(None))) or not is_keras_module(module):
            raise ValueError(
                f"Could not locate class '{name}': the layer config names class '{name}' in module {module!r}, "
                "which is not part of Keras, and npkeras never imports a module a file names. Register the class with "
                "`@npkeras.saving.register_keras_serializable()` or pass `custom_objects={'" + name + "': cls}`."
            )
        cls = _table().get(name)
    if cls is None:
        raise ValueError(
            f"Could not locate class '{name}'. Make sure custom classes are decorated with "
            "`@npkeras.saving.register_keras_serializable()` or passed as `custom_objects`. "
            f"Known layers are {sorted(_table())}."
        )
    layer = resolve("layer", config, {name: cls})
    build_config = config.get("build_config")
    rebuilds = type(layer).build_from_config is not Layer.build_from_config  # npkeras's own are built by the model
    if rebuilds and isinstance(build_config, dict) and build_config and not layer.built:
        layer.build_from_config(build_config)  # its state exists before its weights are loaded, as in Keras
        layer.built = True
    return layer
