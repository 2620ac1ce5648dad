"""KerasTensor: the symbolic value a functional model's graph is built from."""

from npkeras.backend.config import standardize_dtype
from npkeras.backend.global_state import uniquify


class KerasTensor:
    """A symbolic placeholder: shape (batch axis first) and dtype, no values. Python operators on it record
    keras.ops operations (`x + y` is ops.add), as Keras's KerasTensor does."""

    _npkeras_symbolic = True  # how ops recognise a symbolic argument without importing this module

    def __init__(self, shape, dtype=None, name=None):
        self.shape = tuple(shape)
        self.dtype = standardize_dtype(dtype)
        self.name = name or uniquify("keras_tensor")  # keras_tensor, keras_tensor_1, ... as Keras names them
        self._keras_history = None  # (layer, node index, output index) of the call that made it
        self._keras_mask = None  # a boolean KerasTensor where the layer that made it attaches a mask

    @property
    def ndim(self):
        return len(self.shape)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            f"The symbolic tensor {self.name!r} (shape {self.shape}) has no values: call layers on it to build a "
            "model (npkeras.Model(inputs, outputs)), then feed real arrays to that model."
        )

    sparse = property(lambda self: False, doc="False: npkeras has no sparse tensors (Keras's attribute).")
    ragged = property(lambda self: False, doc="False: npkeras has no ragged tensors (Keras's attribute).")

    def __repr__(self):
        return (
            f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}, ragged={self.ragged}, "
            f"name={self.name}>"
        )

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    def __iter__(self):
        raise NotImplementedError(
            "Iterating over a symbolic KerasTensor is not supported: index it (x[:, 0]) or use ops.unstack."
        )

    def __getitem__(self, key):
        return _ops().get_item(self, key)

    def __round__(self, ndigits=None):
        return _ops().round(self, decimals=ndigits or 0)


def _ops():
    from npkeras import ops

    return ops


def _binary(op_name, reflected=False):
    if reflected:
        return lambda self, other: getattr(_ops(), op_name)(other, self)
    return lambda self, other: getattr(_ops(), op_name)(self, other)


def _unary(op_name):
    return lambda self: getattr(_ops(), op_name)(self)


for _name, _op in {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "matmul": "matmul",
    "truediv": "true_divide",
    "floordiv": "floor_divide",
    "mod": "mod",
    "pow": "power",
    "and": "logical_and",
    "or": "logical_or",
    "xor": "logical_xor",
}.items():
    setattr(KerasTensor, f"__{_name}__", _binary(_op))
    setattr(KerasTensor, f"__r{_name}__", _binary(_op, reflected=True))
for _name, _op in {"lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal", "ne": "not_equal"}.items():
    setattr(KerasTensor, f"__{_name}__", _binary(_op))
for _name, _op in {"neg": "negative", "abs": "absolute", "invert": "logical_not"}.items():
    setattr(KerasTensor, f"__{_name}__", _unary(_op))
