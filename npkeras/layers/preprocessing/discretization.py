"""Discretization: numbers to bucket ids by bin boundaries, given or adapted from quantiles."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.layers.keras_tensor import KerasTensor
from npkeras.layers.preprocessing.category_encoding import as_values, check_output_mode, encode
from npkeras.layers.preprocessing.data_layer import DataLayer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(DataLayer):
    """Bucket i holds bin_boundaries[i-1] <= x < bin_boundaries[i]; `adapt` places `num_bins - 1` boundaries at
    approximate quantiles (Keras's merged summaries, precision `epsilon`)."""

    def __init__(
        self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False, dtype=None, name=None
    ):
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse=True` may only be used if `output_mode` is `'one_hot'`, `'multi_hot'`, or `'count'`. "
                f"Received: sparse={sparse} and output_mode={output_mode}"
            )
        if sparse:
            raise ValueError("`sparse=True` cannot be used with backend numpy")
        check_output_mode("Discretization", output_mode, OUTPUT_MODES)
        if num_bins is not None and num_bins < 0:
            raise ValueError(f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. "
                f"Received: `num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.summary = None if self.bin_boundaries else np.zeros((2, 0), dtype="float32")

    @property
    def output_dtype(self):
        return self.dtype if self.output_mode != "int" else "int32"

    def adapt(self, data, steps=None):
        """Estimate quantile boundaries from an array or an iterable of batches."""
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, use "
                "`num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, (np.ndarray, Tensor)) or not hasattr(data, "__iter__"):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        summary = _summarize(np.asarray(as_values(data), dtype="float32"), self.epsilon)
        self.summary = _merge(summary, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.zeros((2, 0), dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time or call "
                "`adapt(dataset)` before you can start using the `Discretization` layer."
            )
        values = as_values(inputs)
        indices = np.digitize(
            values, np.asarray(self.bin_boundaries, dtype=values.dtype if values.dtype.kind == "f" else None)
        )
        if self.output_mode == "int":
            return Tensor(indices.astype("int32"))
        return Tensor(encode(indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype))

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            return shape[:-1] + (depth,) if len(shape) > 1 and shape[-1] == 1 else shape + (depth,)
        return (shape[0],) + shape[2:] + (depth,) if len(shape) >= 2 else (depth,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,  # Keras writes this layer's dtype as a plain name
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("trainable", None)
        boundaries = config.pop("bin_boundaries", None) if config.get("num_bins") is not None else None
        layer = cls(**config)
        if boundaries is not None:  # adapted: both set, which the constructor refuses
            layer.bin_boundaries = boundaries
        return layer


def _summarize(values, epsilon):
    """Every step-th sorted value with weight `step`, step = max(n * epsilon, 1)."""
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)
    picked = values[int(step - 1) :: int(step)]
    return np.stack([picked, np.full(picked.shape, step, dtype=picked.dtype)])


def _merge(first, second, epsilon):
    merged = np.concatenate((first, second), axis=1)
    merged = merged[:, np.argsort(merged[0])]
    return _compress(merged, epsilon)


def _compress(summary, epsilon):
    """Re-bin a summary at the cumulative-weight fractions epsilon, 2 epsilon, ..., 1 (linear interpolation)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    where = cumulative / cumulative[-1]
    bins = np.interp(fractions, where, summary[0])
    cumulative = np.interp(fractions, where, cumulative)
    weights = cumulative - np.concatenate(([0.0], cumulative[:-1]))
    return np.stack((bins, weights)).astype("float32")
