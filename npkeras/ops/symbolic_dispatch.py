"""Route keras.ops calls on KerasTensors to the functional graph (npkeras.layers.symbolic_operation)."""

import functools
import inspect

# Ops that describe a KerasTensor rather than compute on it, and ops that make tensors from nothing.
NOT_RECORDED = frozenset({"shape", "dtype", "is_tensor", "convert_to_numpy", "cond", "switch", "custom_gradient"})


def _any_symbolic(values):
    for value in values:
        if type(value) in (list, tuple):
            if _any_symbolic(value):
                return True
        elif getattr(value, "_npkeras_symbolic", False):
            return True
    return False


def recording(name, function):
    """`function`, which on KerasTensor arguments records an operation node instead of computing."""

    @functools.wraps(function)
    def op(*args, **kwargs):
        if _any_symbolic(args) or (kwargs and _any_symbolic(kwargs.values())):
            from npkeras.layers.symbolic_operation import call_symbolically

            return call_symbolically(name, function, args, kwargs)
        return function(*args, **kwargs)

    op.records_symbolic_calls = True
    return op


def record_symbolic_calls(namespace, subnamespaces=()):
    """Wrap every public function of an ops namespace with `recording`; the sub-namespaces (ops.linalg) that
    export the same functions then export the wrapped ones."""
    for name, value in list(namespace.items()):
        wrapped = getattr(value, "records_symbolic_calls", False)
        if not name.startswith("_") and inspect.isfunction(value) and name not in NOT_RECORDED and not wrapped:
            namespace[name] = recording(name, value)
    for module in subnamespaces:
        for name, value in list(vars(module).items()):
            wrapped = namespace.get(name)
            if value is not wrapped and getattr(wrapped, "__wrapped__", None) is value:
                setattr(module, name, wrapped)
