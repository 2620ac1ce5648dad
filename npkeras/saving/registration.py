"""Custom classes a model file may name: registered with a decorator or passed as custom_objects."""

import contextlib

from npkeras.backend.global_state import context

# Registration is for the whole process, as Keras's; the scopes below are the calling thread's own.
_REGISTERED = {}  # "package>name" -> class or function
_NAMES = {}  # class or function -> "package>name"


def register_keras_serializable(package="Custom", name=None):
    """Decorator: make a class (or function) loadable by name, as keras.saving.register_keras_serializable."""
    if not isinstance(package, str) or ">" in package:
        raise ValueError(f"`package` must be a string without '>'. Received: package={package!r}")

    def decorator(obj):
        registered_name = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register {obj!r}: a registered class must define get_config().")
        _REGISTERED[registered_name] = obj
        _NAMES[obj] = registered_name
        return obj

    return decorator


def get_registered_name(obj):
    """The name `obj` is saved under: "package>name" when registered, else its own name."""
    obj = vars(obj).get("_serialized_as", obj) if isinstance(obj, type) else obj  # a class standing for another
    return _NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered (or passed in `custom_objects`) under `name`, or None."""
    for table in (custom_objects or {}, _REGISTERED, module_objects or {}):
        if name in table:
            return table[name]
    return None


def get_custom_objects():
    """The global registry itself (name -> object), as keras.saving.get_custom_objects."""
    return _REGISTERED


def custom_table(custom_objects=None):
    """Every custom object in reach: registered (by full and bare name), scoped, and `custom_objects`."""
    table = {}
    for full, obj in _REGISTERED.items():
        table[full] = obj
        table.setdefault(full.split(">", 1)[1], obj)
    for scope in context.custom_object_scopes:
        table.update(scope)
    table.update(custom_objects or {})
    return table


@contextlib.contextmanager
def custom_object_scope(custom_objects):
    """Within the block, configs may name the classes in `custom_objects` (name -> class)."""
    context.custom_object_scopes.append(dict(custom_objects or {}))
    try:
        yield
    finally:
        context.custom_object_scopes.pop()


@contextlib.contextmanager
def safe_mode_scope(safe_mode):
    context.safe_modes.append(bool(safe_mode))
    try:
        yield
    finally:
        context.safe_modes.pop()


def in_safe_mode():
    """True unless a load_model(safe_mode=False) is in progress: code from files (lambdas) is refused."""
    return context.safe_modes[-1] if context.safe_modes else True
