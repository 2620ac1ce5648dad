"""Embedding: integer ids to dense vectors, with an optional mask of the non-zero ids."""

import warnings

import numpy as np

from npkeras import initializers, regularizers
from npkeras.autograd.tensor import Tensor
from npkeras.layers.layer import Layer
from npkeras.ops.embedding import EmbeddingLookup


def _positive_int(value, name):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r} (of type {type(value).__name__})."
        )
    return int(value)


class Embedding(Layer):
    """Turn ids in [0, input_dim) into vectors of size output_dim: output shape (*ids.shape, output_dim)."""

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        activity_regularizer=None,
        **kwargs,
    ):
        input_dim = _positive_int(input_dim, "input_dim")
        output_dim = _positive_int(output_dim, "output_dim")
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        if lora_rank is not None or quantization_config is not None:
            raise ValueError(f'Layer "{self.name}": npkeras\'s Embedding supports neither LoRA nor quantization.')
        self.input_dim, self.output_dim = input_dim, output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False  # ids are checked as given: float64 ids are not rounded to float32 first
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1 else [weights])

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
            name="embeddings",
        )

    def call(self, inputs):
        ids = self._ids(inputs)
        outputs = EmbeddingLookup(ids)(self.embeddings)
        return outputs

    def _ids(self, inputs):
        """The ids as an integer array, checked: whole numbers in [0, input_dim)."""
        data = inputs.data if isinstance(inputs, Tensor) else np.asarray(inputs)
        if data.dtype.kind == "f":
            ids = data.astype(np.int64)
            if not np.array_equal(ids, data):
                bad = data[ids != data].reshape(-1)[0]
                raise ValueError(
                    f'Layer "{self.name}" (Embedding) expects integer token ids, but received floats that are '
                    f"not whole numbers (for example {bad!r}). Pass the ids as integers."
                )
        elif data.dtype.kind in "iub":
            ids = data
        else:
            raise ValueError(
                f'Layer "{self.name}" (Embedding) expects integer token ids, but received dtype {data.dtype}.'
            )
        if ids.size:
            low, high = ids.min(), ids.max()
            if low < 0 or high >= self.input_dim:
                bad = low if low < 0 else high
                raise ValueError(
                    f'Layer "{self.name}" (Embedding): token id {int(bad)} is outside the valid range '
                    f"[0, {self.input_dim}) (input_dim={self.input_dim}). Make input_dim larger than the "
                    "largest id, or map rare ids to an out-of-vocabulary id."
                )
        return ids

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return np.asarray(inputs) != 0

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": None,
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }
