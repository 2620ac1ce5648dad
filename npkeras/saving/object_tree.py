"""Where each object's variables live in a Keras 3 weights file, found the way Keras walks a model.

A model's layers sit under "layers/<snake_case class name>[_N]" (N counts repeats of a class in that
list), a sublayer held in an attribute under that attribute's name ("layers/lstm/cell",
"layers/bidirectional/forward_layer/cell"), attributes in sorted order with private ones last, and
the optimizer under "optimizer". Each object saves its own variables: the ones created trainable
first, then the others, each group in creation order.
"""

from npkeras.layers.layer import Layer
from npkeras.utils.naming import to_snake_case

# Attributes the walk never follows: the base Layer's bookkeeping and Sequential's input.
_SKIPPED = frozenset({"_layers", "_input_layer", "optimizer"})


def variable_groups(model, include_optimizer=True):
    """[(path, object name, [Variable, ...]), ...] for the model, every sublayer and the optimizer."""
    groups = [(path, obj.name, own_variables(obj)) for path, obj in layers_by_path(model)]
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None:
        groups.append(("optimizer", optimizer.name, list(optimizer.variables)))
    return groups


def layers_by_path(model):
    """[(path, layer), ...] for the model and every sublayer, in the walk's order."""
    found = []
    _walk(model, "", set(), found)
    return found


def own_variables(layer):
    return layer._own_variables()


def _walk(layer, path, visited, found):
    if id(layer) in visited:
        return
    visited.add(id(layer))
    found.append((path, layer))
    for attr, child in _children(layer):
        child_path = f"{path}/{attr}" if path else attr
        if isinstance(child, Layer):
            _walk(child, child_path, visited, found)
        else:
            _walk_container(child, child_path, visited, found)


def _children(layer):
    if getattr(layer, "_saves_layers_as_container", False):  # Sequential: its layers come first, as in Keras
        yield "layers", layer.layers
    attributes = vars(layer)
    for attr in sorted(attributes, key=lambda a: f"~{a}" if a.startswith("_") else a):
        value = attributes[attr]
        if attr not in _SKIPPED and _holds_layers(value):
            yield attr, value


def _holds_layers(value):
    if isinstance(value, Layer):
        return True
    if isinstance(value, dict):
        value = list(value.values())
    return isinstance(value, (list, tuple)) and any(_holds_layers(v) for v in value)


def _walk_container(items, path, visited, found):
    used = {}
    for item in items.values() if isinstance(items, dict) else items:
        if isinstance(item, Layer):
            _walk(item, f"{path}/{_unique(to_snake_case(type(item).__name__), used)}", visited, found)
        elif isinstance(item, (list, tuple, dict)):
            _walk_container(item, f"{path}/{_unique('container', used)}", visited, found)


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name
