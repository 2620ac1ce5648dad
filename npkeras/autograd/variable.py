"""Variable: a named, stateful Tensor that layers and optimizers update in place."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.config import standardize_dtype
from npkeras.backend.global_state import uniquify

_initializer_by_name = None  # name -> initializer; npkeras.initializers registers its `get` here


def register_initializer_names(lookup):
    """Let Variable("glorot_uniform", shape) find initializers by name (called by npkeras.initializers)."""
    global _initializer_by_name
    _initializer_by_name = lookup


class Variable(Tensor):
    """Keras's Variable: `Variable(initializer, shape=None, dtype=None, trainable=True, name=None)`.

    `initializer` is an array-like value or an initializer (name or callable taking
    `shape, dtype`), in which case `shape` is required.
    """

    __slots__ = ("name", "path", "_trainable", "regularizer", "constraint")
    _is_variable = True

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None):
        if isinstance(initializer, str) or (callable(initializer) and not hasattr(initializer, "__array__")):
            if shape is None:
                raise ValueError(
                    "When creating a Variable from an initializer, the `shape` argument "
                    f"should be specified. Received: initializer={initializer!r} and shape={shape}"
                )
            if isinstance(initializer, str):
                initializer = _initializer_by_name(initializer)
            value = np.asarray(initializer(tuple(shape), dtype=standardize_dtype(dtype)))
        else:
            value = np.asarray(initializer)
            if dtype is not None or value.dtype.kind == "f":
                value = value.astype(standardize_dtype(dtype), copy=True)
            elif value.dtype.kind in "iub":
                value = value.copy()
            if shape is not None and tuple(shape) != value.shape:
                raise ValueError(f"Initial value has shape {value.shape}, but `shape` is {tuple(shape)}.")
        value = value if value.flags.c_contiguous else value.copy()
        super().__init__(value, requires_grad=bool(trainable))
        self.name = name or uniquify("variable")
        self.path = self.name
        self._trainable = bool(trainable)
        self.regularizer = None
        self.constraint = None

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = self.requires_grad = bool(value)

    @property
    def value(self):
        return self.data

    def assign(self, value):
        """Write `value` into the variable in place (shapes must match)."""
        value = np.asarray(value)
        if value.shape != self.data.shape:
            raise ValueError(
                f"The shape of the target variable {self.path!r} and the shape of the "
                f"value to assign must match. target.shape={self.data.shape}, "
                f"value.shape={value.shape}"
            )
        self.data[...] = value
        return self

    def assign_add(self, value):
        self.data += np.asarray(value, dtype=self.data.dtype)
        return self

    def assign_sub(self, value):
        self.data -= np.asarray(value, dtype=self.data.dtype)
        return self

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="  value=")
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={body}>"

    __str__ = __repr__
