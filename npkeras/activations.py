"""Activation functions by Keras name, for layers' `activation=` arguments."""

import types

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.activation import Relu
from npkeras.utils.registry import resolve

__all__ = [
    "elu",
    "exponential",
    "gelu",
    "get",
    "hard_sigmoid",
    "leaky_relu",
    "linear",
    "log_softmax",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "softsign",
    "tanh",
]


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    return Relu(negative_slope, max_value, threshold)(as_tensor(x))


def sigmoid(x):
    return ops.sigmoid(x)


def tanh(x):
    return ops.tanh(x)


def softmax(x, axis=-1):
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return ops.log_softmax(x, axis=axis)


def linear(x):
    return x


def leaky_relu(x, negative_slope=0.2):
    return ops.leaky_relu(x, negative_slope)


def elu(x, alpha=1.0):
    return ops.elu(x, alpha)


def gelu(x, approximate=False):
    return ops.gelu(x, approximate)


def relu6(x):
    return ops.relu6(x)


def hard_sigmoid(x):
    return ops.hard_sigmoid(x)


def softsign(x):
    return ops.softsign(x)


def softplus(x):
    return ops.softplus(x)


def selu(x):
    return ops.selu(x)


def silu(x):
    return ops.silu(x)


def exponential(x):
    return ops.exp(x)


_TABLE = {
    f.__name__: f
    for f in (
        relu,
        sigmoid,
        tanh,
        softmax,
        log_softmax,
        linear,
        leaky_relu,
        elu,
        gelu,
        relu6,
        hard_sigmoid,
        softsign,
        softplus,
        selu,
        silu,
        exponential,
    )
}
_ALIASES = {"swish": silu}


def is_builtin_name(name):
    """Whether `name` is one of Keras's own activation functions (so a file may name it as a builtin)."""
    return name in _TABLE or name in _ALIASES


def get(identifier):
    """The activation function for a name, a callable or None (linear); a registered custom function by its
    "package>name", bare name or Keras's function config."""
    if identifier is None:
        return linear
    from npkeras.saving.registration import custom_table

    custom = {k: v for k, v in custom_table().items() if callable(v) and not isinstance(v, type)}
    if isinstance(identifier, dict) and identifier.get("class_name") == "function":
        registered = identifier.get("registered_name")  # Keras writes "function" there and the name under config
        identifier = registered if registered not in (None, "function") else identifier.get("config")
    return resolve("activation function", identifier, {**_TABLE, **_ALIASES, **custom})


def serialize(activation):
    """A named activation's name; any other named function as Keras writes it: its registered name
    ("package>name", or its own name) under "config". Loading finds it registered or in `custom_objects`."""
    from npkeras.saving.registration import get_registered_name

    name = getattr(activation, "__name__", None)
    if _TABLE.get(name) is activation:
        return name
    if isinstance(activation, types.FunctionType) and name != "<lambda>":
        return {
            "module": "builtins",
            "class_name": "function",
            "config": get_registered_name(activation),
            "registered_name": "function",
        }
    raise ValueError(
        f"Cannot serialize the activation {activation!r}: only Keras's named activations "
        f"({', '.join(sorted(_TABLE))}) and named Python functions can be saved."
    )
