"""Layer configs in Keras 3's serialized form ({"module", "class_name", "config", ...})."""

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
    config = serialize_object(layer, "keras.layers")
    build_config = layer.get_build_config()
    if build_config:
        config["build_config"] = build_config
    return config


def deserialize(config, custom_objects=None):
    """A layer from its serialized config; unknown classes are refused (no code is run)."""
    table = {**_table(), **(custom_objects or {})}
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A serialized layer must be a dict with a 'class_name'. Received: {config!r:.200}")
    name = config["class_name"]
    if name not in table:
        raise ValueError(
            f"Unknown layer: '{name}'. Known layers are {sorted(table)}; pass custom classes "
            "with `custom_objects={'" + name + "': cls}`."
        )
    return resolve("layer", config, table)
