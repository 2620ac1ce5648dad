"""CategoryEncoding, and the one-hot / multi-hot / count encoding every lookup layer shares."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.config import floatx
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.preprocessing.data_layer import DataLayer

ENCODINGS = ("one_hot", "multi_hot", "count")


def check_output_mode(layer_name, output_mode, allowed):
    if output_mode not in allowed:
        raise ValueError(
            f"Unknown value for `output_mode` of layer {layer_name}. This argument should be one of "
            f"{list(allowed)}. Received: output_mode={output_mode}"
        )


def encode(indices, output_mode, depth, dtype=None, count_weights=None):
    """Integer indices encoded as Keras-TensorFlow encodes them: "one_hot" adds a `depth` axis (in place of a
    last axis of 1); "multi_hot" and "count" reduce the last axis of a rank-2 batch (a rank-1 input is one
    sample; a higher rank reduces axis 1), and indices outside [0, depth) count for nothing, as
    tf.math.bincount and one_hot drop them."""
    indices = np.asarray(indices)
    dtype = dtype or floatx()
    if indices.ndim == 0:
        indices = indices.reshape(1)
    valid = (indices >= 0) & (indices < depth)
    if output_mode == "one_hot" or indices.ndim > 2:
        if output_mode == "one_hot" and indices.ndim > 1 and indices.shape[-1] == 1:
            indices, valid = indices[..., 0], valid[..., 0]
        hot = np.zeros(indices.shape + (depth,), dtype=dtype)
        where = np.nonzero(valid)
        hot[where + (indices[where],)] = 1
        if output_mode == "one_hot":
            return hot
        if count_weights is not None:
            hot = hot * np.asarray(count_weights)[..., None]
        return hot.max(axis=1) if output_mode == "multi_hot" else hot.sum(axis=1)
    batch = indices.reshape(1, -1) if indices.ndim == 1 else indices
    valid_b = valid.reshape(batch.shape)
    rows = np.broadcast_to(np.arange(batch.shape[0])[:, None], batch.shape)[valid_b]
    flat = rows * depth + batch[valid_b]
    if count_weights is not None and output_mode == "count":
        weights = np.asarray(count_weights).reshape(batch.shape)[valid_b]
        counts = np.bincount(flat, weights=weights, minlength=batch.shape[0] * depth)
        dtype = np.asarray(count_weights).dtype
    else:
        counts = np.bincount(flat, minlength=batch.shape[0] * depth)
        if output_mode == "multi_hot":
            counts = np.minimum(counts, 1)
    out = counts.reshape(batch.shape[0], depth).astype(dtype)
    return out[0] if indices.ndim == 1 else out


def encoded_shape(input_shape, output_mode, depth):
    """The symbolic shape `encode` gives an input of `input_shape`."""
    shape = tuple(input_shape)
    if not shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return shape[:-1] + (depth,)
        return shape + (depth,)
    return shape[:-1] + (depth,)


def as_values(inputs):
    """A layer's input (Tensor, array or list) as a NumPy array, text as str."""
    data = inputs.data if isinstance(inputs, Tensor) else np.asarray(inputs)
    if data.dtype.kind == "S":
        return np.char.decode(data, "utf-8")
    if data.dtype.kind == "O":
        return data.astype(str)
    return data


class CategoryEncoding(DataLayer):
    """Integer category ids to one-hot, multi-hot or count vectors of `num_tokens` entries."""

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ENCODINGS:
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not known beforehand, use "
                "the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError("`sparse=True` is not supported by npkeras (NumPy has no sparse tensors).")
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = False

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. "
                    f"Received `count_weights={count_weights}`."
                )
            count_weights = as_values(count_weights).astype(self.dtype)
        values = as_values(inputs)
        if values.dtype.kind not in "biu" and not (values.dtype.kind == "f" and np.all(values == np.round(values))):
            raise ValueError(
                f'Layer "{self.name}" (CategoryEncoding) expects integer category ids, but received an array of '
                f"dtype {values.dtype}."
            )
        out = encode(values.astype(np.int64), self.output_mode, self.num_tokens, self.dtype, count_weights)
        return Tensor(out)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode}
