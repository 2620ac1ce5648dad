"""Hashing: values to bins by FarmHash Fingerprint64 (or keyed SipHash with a `salt`), as Keras-TensorFlow."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.backend.config import floatx
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.preprocessing.category_encoding import as_values, encode
from npkeras.layers.preprocessing.data_layer import DataLayer
from npkeras.layers.preprocessing.farmhash import hash_buckets, hash_buckets_strong
from npkeras.layers.preprocessing.index_lookup import _salt_pair

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(DataLayer):
    """Hashes strings or integers (by their decimal text; floats truncated first) into `num_bins` bins; with a
    `mask_value`, bin 0 is kept for it and the others hash into bins 1..num_bins-1."""

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                f"The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or 'in64'. "
                f"Received: dtype={kwargs['dtype']}"
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"Invalid value for argument `output_mode`. Expected one of {OUTPUT_MODES}. "
                f"Received: output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                '`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, or `"count"`. '
                f"Received: sparse={sparse} and output_mode={output_mode}"
            )
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.salt = None if salt is None else _salt_pair(salt, "Hashing")
        self.output_mode = output_mode
        self.sparse = False

    def _bins(self, values):
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        if self.strong_hash:
            out = hash_buckets_strong(values, bins, self.salt)
        else:
            out = hash_buckets(values, bins)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        values = as_values(inputs)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values[..., 0]
        bins = self._bins(values)
        if self.output_mode == "int":
            return Tensor(bins.astype(self.dtype))
        return Tensor(encode(bins, self.output_mode, self.num_bins, self.dtype))

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
