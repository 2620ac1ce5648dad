"""KerasTensor: the symbolic value a functional model's graph is built from."""

from npkeras.backend.config import standardize_dtype


class KerasTensor:
    """A symbolic placeholder: shape (batch axis first) and dtype, no values."""

    def __init__(self, shape, dtype=None, name=None):
        self.shape = tuple(shape)
        self.dtype = standardize_dtype(dtype)
        self.name = name
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

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"
