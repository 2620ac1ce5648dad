"""Input and InputLayer: declare the shape a model expects."""

import numpy as np

from npkeras.layers import symbolic
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.layer import Layer
from npkeras.ops.math import cast


class InputLayer(Layer):
    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        ragged=False,
        name=None,
        **kwargs,
    ):
        if "input_shape" in kwargs and shape is None:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs and batch_shape is None:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, dtype=dtype, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_shape is None:
            if shape is None:
                raise ValueError("You must pass a `shape` argument to InputLayer / Input.")
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            batch_shape = (batch_size,) + shape
        self.batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        if any(d is not None and d < 0 for d in self.batch_shape):
            raise ValueError(f"Input shape dimensions must be non-negative. Received shape={self.batch_shape}")
        if ragged:
            raise ValueError("npkeras does not support ragged inputs.")
        self.sparse = bool(sparse)
        self.optional = bool(optional)
        self.built = True
        symbolic.Node(self, (), {}, KerasTensor(self.batch_shape, self.dtype, name=self.name))

    def cast_input(self, value):
        """A model's input Tensor in this Input's float dtype, as Keras converts model inputs (uint8 pixels become
        float32 before any layer sees them); integer Inputs take what comes, for Embedding to check;
        string Inputs take text as it is."""
        if self.dtype == "string":
            return value
        if value.dtype != self.dtype and np.dtype(self.dtype).kind == "f":
            return cast(value, self.dtype)
        return value

    def get_config(self):
        return {
            "batch_shape": list(self.batch_shape),
            "dtype": self.dtype,
            "sparse": self.sparse,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }


def Input(
    shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None, optional=False
):
    """A symbolic input of the given per-sample `shape` (batch axis excluded)."""
    layer = InputLayer(
        shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, batch_shape=batch_shape, name=name
    )
    return layer.output
