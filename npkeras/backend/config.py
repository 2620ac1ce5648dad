"""Global numeric settings: the default float type and the fuzz factor epsilon."""

import numpy as np

_FLOATX = "float32"
_EPSILON = 1e-7
_VALID_FLOATX = ("float16", "float32", "float64")


def floatx():
    """The default float type as a string, "float32" unless changed."""
    return _FLOATX


def set_floatx(value):
    """Set the default float type ("float16", "float32" or "float64")."""
    global _FLOATX
    if value not in _VALID_FLOATX:
        raise ValueError(f"Unknown floatx type: {value!r}. Expected one of {_VALID_FLOATX}.")
    _FLOATX = str(value)


def epsilon():
    """The fuzz factor used to avoid division by zero and log(0)."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def standardize_dtype(dtype):
    """Return a dtype name; None means floatx()."""
    if dtype is None:
        return _FLOATX
    if isinstance(dtype, str) and dtype in ("string", "str"):  # Keras's text dtype (tf.string): NumPy str arrays
        return "string"
    return np.dtype(dtype).name
