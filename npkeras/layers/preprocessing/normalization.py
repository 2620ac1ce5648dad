"""Normalization: (x - mean) / sqrt(variance) per kept axis, from given statistics or learned by `adapt`."""

import math

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import Tensor
from npkeras.backend.config import epsilon
from npkeras.layers.layer import Layer


def _extract_batch(batch):
    return batch[0] if isinstance(batch, tuple) else batch  # (x, y) or (x, y, sample_weight)


def _as_array(value):
    return value.data if isinstance(value, Tensor) else value


class Normalization(Layer):
    """Shift and scale inputs to mean 0 and variance 1 along the kept `axis` (the last one by default).

    Without `mean` and `variance` the statistics are non-trainable weights named "mean", "variance" and "count"
    (Keras's order and names, so .keras files exchange), set by `adapt(data)`. With `invert=True` the layer
    maps normalized values back: mean + x * sqrt(variance).
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self.mean = self.variance = None
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` "
                f"must be set. Received: mean={mean} and variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the same shape. "
                    f"Received: mean shape {np.shape(mean)} and variance shape {np.shape(variance)}"
                )
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    f"The rank of `mean` must be less than or equal to the number of axes ({len(self.axis)}). "
                    f"Received: mean shape {np.shape(mean)} for axis {self.axis}"
                )

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        self._build_input_shape = input_shape
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                "All `axis` values must be in the range [-ndim, ndim). "
                f"Received inputs with ndim={ndim}, while axis={self.axis}"
            )
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    "All `axis` values to be kept must have a known shape. "
                    f"Received axis={self.axis}, inputs.shape={input_shape}, with unknown axis at index {d}"
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1 for d in range(ndim))
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=self._mean_and_var_shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance", shape=self._mean_and_var_shape, initializer="ones", trainable=False
            )
            self.count = self.add_weight(name="count", shape=(), dtype="int64", initializer="zeros", trainable=False)
            return
        mean = np.asarray(self.input_mean, dtype=np.float64)
        variance = np.asarray(self.input_variance, dtype=np.float64)
        if mean.ndim:  # align the statistics' axes with the kept axes, from the right
            expanded = [1] * ndim
            for i in range(1, mean.ndim + 1):
                expanded[self._keep_axis[-i]] = mean.shape[-i]
            mean, variance = mean.reshape(expanded), variance.reshape(expanded)
        self.mean = np.broadcast_to(mean, self._broadcast_shape).astype(self.dtype)
        self.variance = np.broadcast_to(variance, self._broadcast_shape).astype(self.dtype)

    def adapt(self, data):
        """Set mean and variance from `data`: an array, a Tensor, or an iterable of batches (a PyDataset, ...)."""
        data = _as_array(data)
        if isinstance(data, np.ndarray):
            input_shape, batches = data.shape, None
        elif hasattr(data, "__getitem__") and hasattr(data, "__len__") and not isinstance(data, (list, tuple)):
            input_shape = np.shape(_as_array(_extract_batch(data[0])))
            batches = (data[i] for i in range(len(data)))
        elif hasattr(data, "__iter__"):
            batches = iter(data)
            first = next(batches, None)
            if first is None:
                raise ValueError(
                    "adapt() received an empty iterable (no batches). Expected at least one batch. Pass a non-empty "
                    "iterable of arrays or tensors, e.g. layer.adapt([x]) or layer.adapt(list_of_batches)."
                )
            first = _as_array(_extract_batch(first))
            if not hasattr(first, "shape"):
                raise TypeError(
                    "adapt() expects an iterable that yields arrays or tensors with a `.shape` attribute (e.g. numpy "
                    f"arrays or backend tensors). Got an element of type {type(first).__name__}."
                )
            input_shape = tuple(first.shape)
            batches = _chain(first, batches)
        else:
            raise TypeError(
                f"Unsupported data type: {type(data)}. `adapt` supports `np.ndarray`, backend tensors, "
                "`keras.utils.PyDataset`, and iterables of batches (e.g. list, generator)."
            )
        input_shape = tuple(input_shape)
        if not self.built:
            self.build(input_shape)
            self.built = True
        else:
            self._check_adapt_shape(input_shape, "adapt() is being called with data with an incompatible shape")
        if self.input_mean is not None:
            raise ValueError(f'Layer "{self.name}": adapt() cannot change the `mean` and `variance` given to it.')
        if batches is None:
            total_mean = np.mean(data, axis=self._reduce_axis)
            total_var = np.var(data, axis=self._reduce_axis)
        else:
            total_mean, total_var = self._accumulate(batches)
        self.adapt_mean.assign(np.asarray(total_mean, dtype=self.adapt_mean.dtype))
        self.adapt_variance.assign(np.asarray(total_var, dtype=self.adapt_variance.dtype))

    def _check_adapt_shape(self, shape, what):
        for d in self._keep_axis:
            if shape[d] != self._build_input_shape[d]:
                raise ValueError(
                    f"The layer was built with input_shape={self._build_input_shape}, but {what}, data.shape={shape}"
                )

    def _accumulate(self, batches):
        """Running mean and variance over batches, merged as Keras merges them (in the layer's dtype)."""
        total_mean = np.zeros(self._mean_and_var_shape, dtype=self.dtype)
        total_var = np.zeros(self._mean_and_var_shape, dtype=self.dtype)
        total_count = 0
        for batch in batches:
            batch = np.asarray(_as_array(_extract_batch(batch)), dtype=self.dtype)
            self._check_adapt_shape(batch.shape, "adapt() yielded a batch with an incompatible shape")
            batch_mean = np.mean(batch, axis=self._reduce_axis)
            batch_var = np.var(batch, axis=self._reduce_axis)
            batch_count = math.prod(batch.shape[d] for d in self._reduce_axis) if self._reduce_axis else 1
            total_count += batch_count
            batch_weight = float(batch_count) / total_count
            existing_weight = 1.0 - batch_weight
            new_mean = total_mean * existing_weight + batch_mean * batch_weight
            total_var = (total_var + (total_mean - new_mean) ** 2) * existing_weight + (
                batch_var + (batch_mean - new_mean) ** 2
            ) * batch_weight
            total_mean = new_mean
        return total_mean, total_var

    def _statistics(self):
        if self.input_mean is not None:
            return self.mean, self.variance
        mean = self.adapt_mean.data.reshape(self._broadcast_shape).astype(self.dtype, copy=False)
        variance = self.adapt_variance.data.reshape(self._broadcast_shape).astype(self.dtype, copy=False)
        return mean, variance

    def call(self, inputs):
        mean, variance = self._statistics()
        std = np.maximum(np.sqrt(variance), np.asarray(epsilon(), dtype=variance.dtype))
        inputs = ops.cast(inputs, self.dtype)
        if self.invert:
            return inputs * std + mean
        return (inputs - mean) / std

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": list(self._build_input_shape)}
        return None


def _chain(first, rest):
    yield first
    yield from rest
