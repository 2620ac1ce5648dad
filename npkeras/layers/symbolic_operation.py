"""keras.ops calls on KerasTensors: each becomes a weightless node of the functional graph, as Keras 3's Operation.

`ops.not_equal(inputs, 0)` or `x + y` on symbolic tensors makes an instance of an operation class named as
Keras names it (NotEqual, Add), whose config holds the op's constructor arguments and whose node holds its call
arguments, so that configs and `.keras` files read the same in npkeras and Keras. Operations are listed in a
functional model's `operations` and summary, not in its `layers`, and own no weights.
"""

import inspect

from npkeras.layers import symbolic
from npkeras.layers.layer import Layer
from npkeras.ops.keras_operations import KERAS_OPERATIONS
from npkeras.utils.naming import to_snake_case

ALIASES = {"abs": "absolute", "conj": "conjugate"}  # ops exported under two names, recorded as one operation
_CLASSES = {}  # function name -> its operation class
_BY_CLASS_NAME = {entry[0]: name for name, entry in KERAS_OPERATIONS.items()}


class SymbolicOperation(Layer):
    """One keras.ops function with its constructor arguments fixed; calling it on tensors runs the op."""

    function_name = None  # set on each operation class
    keras_module = "npkeras.ops"
    call_parameters = ()  # the function's parameters a node passes, in order
    init_parameters = {}  # config key -> the function parameter it sets

    def __init__(self, name=None, **init):
        super().__init__(name=name, autocast=False)
        self.init = init
        self._function = _function(self.function_name)
        fixed = {self.init_parameters.get(key, key): value for key, value in init.items()}
        self._fixed = _known_parameters(self._function, fixed, type(self).__name__)
        self.built = True

    def __call__(self, *args, training=None, mask=None, **kwargs):
        if symbolic.is_symbolic(args, kwargs):
            return symbolic.symbolic_call(self, args, kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args, **kwargs):
        given = dict(zip(self.call_parameters, args))
        if isinstance(given.get("key"), list) and self.function_name == "get_item":
            given["key"] = tuple(given["key"])  # a saved index tuple comes back as a JSON list
        return self._function(**given, **kwargs, **self._fixed)

    def get_config(self):
        return {"name": self.name, **self.init}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        name = config.pop("name", None)
        return cls(name=name, **{k: _tuples(v) for k, v in config.items()})

    def get_build_config(self):
        return None


def _tuples(value):
    """JSON lists back to the tuples an op's axis or shape argument was given as."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _function(name):
    """The op itself, under the wrapper that sends symbolic calls here."""
    from npkeras import ops

    function = getattr(ops, name)
    return getattr(function, "__wrapped__", function)


def _known_parameters(function, given, class_name):
    """The arguments `function` takes; a Keras option npkeras lacks passes only at its off value."""
    parameters = inspect.signature(function).parameters
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return given
    for key, value in given.items():
        if key not in parameters and value not in (None, False):
            raise ValueError(f"Operation {class_name}: npkeras does not support `{key}={value!r}`")
    return {k: v for k, v in given.items() if k in parameters}


def operation_class(function_name):
    """The operation class of a keras.ops function (Keras's name and config layout where Keras has the op)."""
    function_name = ALIASES.get(function_name, function_name)
    cls = _CLASSES.get(function_name)
    if cls is None:
        entry = KERAS_OPERATIONS.get(function_name)
        if entry is None:  # an npkeras-only op: every argument goes to its call
            class_name = "".join(part.capitalize() for part in function_name.split("_"))
            parameters = inspect.signature(_function(function_name)).parameters.values()
            positional = tuple(p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
            attributes = {"function_name": function_name, "call_parameters": positional}
        else:
            class_name, module, call, init = entry
            attributes = {
                "function_name": function_name,
                "keras_module": module,
                "call_parameters": call,
                "init_parameters": init,
            }
        attributes["__module__"] = __name__
        cls = _CLASSES[function_name] = type(class_name, (SymbolicOperation,), attributes)
    return cls


def class_for_config(class_name, module):
    """The operation class a saved config names ("NotEqual" in "keras.src.ops.numpy"), or None."""
    if not isinstance(module, str) or not module.startswith(("keras.src.ops", "npkeras.ops")):
        return None
    function_name = _BY_CLASS_NAME.get(class_name) or to_snake_case(class_name)
    from npkeras import ops

    if not callable(getattr(ops, function_name, None)):
        return None
    return operation_class(function_name)


def call_symbolically(function_name, function, args, kwargs):
    """`function(*args, **kwargs)` on KerasTensors: a node of the operation, its KerasTensor outputs returned."""
    cls = operation_class(function_name)
    signature = inspect.signature(function)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    values = dict(bound.arguments)
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.VAR_KEYWORD:
            values.update(values.pop(parameter.name, {}))
    call = [values.pop(p, None) for p in cls.call_parameters]
    init = {key: values[p] for key, p in cls.init_parameters.items() if p in values}
    return cls(**init)(*call)
