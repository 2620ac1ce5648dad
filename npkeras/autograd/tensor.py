"""Tensor: an ndarray with an optional link to the op that produced it.

Operators (+, @, indexing, ...) are attached by npkeras.ops, which sits above this module.
"""

import numpy as np

from npkeras.backend.config import floatx


class Tensor:
    __slots__ = (
        "data",
        "requires_grad",
        "grad",
        "creator",
        "index",
        "generation",
        "__weakref__",
    )
    __array_priority__ = 100
    _is_variable = False  # Variables join a graph only inside a tape, fit() or enable_grad()

    def __init__(self, data, requires_grad=False):
        if isinstance(data, Tensor):
            data = data.data
        if not isinstance(data, np.ndarray):
            python_value = not isinstance(data, np.generic)
            data = np.asarray(data)
            if python_value and data.dtype == np.float64:  # Python floats and lists become floatx
                data = data.astype(floatx())
        self.data = data
        self.requires_grad = requires_grad
        self.grad = None
        self.creator = None
        self.index = 0
        self.generation = 0

    # ---- array protocol -------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        if copy:
            return np.array(self.data, dtype=dtype, copy=True)
        if dtype is None or self.data.dtype == np.dtype(dtype):
            return self.data
        if copy is False:
            raise ValueError(f"Converting a {self.data.dtype} tensor to {np.dtype(dtype)} requires a copy.")
        return self.data.astype(dtype)

    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def size(self):
        return self.data.size

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def numpy(self):
        """The values as an ndarray (shared, not copied)."""
        return self.data

    def item(self):
        return self.data.item()

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def __bool__(self):
        return bool(self.data)

    def __hash__(self):
        return id(self)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        return f"tensor({body}, shape={self.shape}, dtype={self.dtype})"

    def __str__(self):
        return str(self.data)

    def __format__(self, spec):
        return format(self.data.item() if self.data.ndim == 0 else self.data, spec)

    # ---- graph ----------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=False):
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires grad."""
        from npkeras.autograd.engine import backward

        backward(self, gradient, retain_graph=retain_graph)

    def detach(self):
        """The same values, cut from the graph."""
        return Tensor(self.data)


def as_tensor(x, dtype=None):
    """Wrap arrays and scalars as constant Tensors (Python floats become floatx); pass Tensors through."""
    if isinstance(x, Tensor):
        return x
    if dtype is not None:
        return Tensor(np.asarray(x, dtype=dtype))
    if isinstance(x, (bool, int, float)):
        return Tensor(np.asarray(x, dtype=floatx()))
    return Tensor(x)
