"""Python functions in configs, as Keras 3 writes them: lambdas as marshalled bytecode (loaded only with
safe_mode=False), named functions as {"module", "class_name": "function", "config": name}."""

import base64
import importlib
import marshal
import types

from npkeras.saving.registration import custom_table, get_registered_name, in_safe_mode

LAMBDA_REFUSED = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This carries a "
    "potential risk of arbitrary code execution and thus it is disallowed by default. If you trust the source "
    "of the file, pass `safe_mode=False` to the loading function."
)


def serialize_function(fn):
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
        code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}
    if callable(fn) and hasattr(fn, "__name__"):
        registered = get_registered_name(fn)
        return {
            "module": getattr(fn, "__module__", None),
            "class_name": "function",
            "config": fn.__name__,
            "registered_name": registered if ">" in registered else "function",
        }
    raise ValueError(f"Cannot serialize {fn!r} (of type {type(fn).__name__}): expected a function.")


def deserialize_function(config):
    """A function from serialize_function's dict: registered or custom objects first, npkeras's
    activations by name, and (only outside safe mode) lambdas and functions of other modules."""
    if callable(config):
        return config
    if isinstance(config, str):
        config = {"class_name": "function", "config": config, "module": None}
    if not isinstance(config, dict):
        raise ValueError(f"A serialized function must be a dict. Received: {config!r:.200}")
    if config.get("class_name") == "__lambda__":
        if in_safe_mode():
            raise ValueError(LAMBDA_REFUSED)
        return _load_lambda(config.get("config") or {})
    name, module = config.get("config"), config.get("module")
    if not isinstance(name, str):
        raise ValueError(f"A serialized function needs its name under 'config'. Received: {config!r:.200}")
    custom = custom_table()
    for key in (config.get("registered_name"), name):
        if isinstance(key, str) and key in custom:
            return custom[key]
    from npkeras import activations

    if module in (None, "keras") or module.startswith(("keras.", "npkeras")):
        return activations.get(name)
    if module == "builtins" and activations.is_builtin_name(name):  # how Keras writes its public functions
        return activations.get(name)
    if in_safe_mode():
        raise ValueError(
            f"The file names the function '{name}' of module {module!r}. npkeras does not import modules named "
            "by a file in safe mode: register the function with `@npkeras.saving.register_keras_serializable()`, "
            "pass it in `custom_objects`, or pass `safe_mode=False` if you trust the file."
        )
    return getattr(importlib.import_module(module), name)


def _load_lambda(config):
    code = marshal.loads(base64.decodebytes(str(config["code"]).encode("ascii")))
    defaults = config.get("defaults")
    closure = config.get("closure")
    cells = tuple(types.CellType(value) for value in closure) if closure else None
    return types.FunctionType(code, globals(), code.co_name, tuple(defaults) if defaults else None, cells)
