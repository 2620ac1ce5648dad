"""Random colour augmentation: RandomContrast and RandomBrightness (one draw per image)."""

import numpy as np

from npkeras import ops
from npkeras.autograd.tensor import as_tensor
from npkeras.layers.preprocessing.image_layer import RandomImageLayer, base_factor


def _per_image(values, ndim):
    values = np.asarray(values, dtype=np.float32)
    return values.reshape((-1, 1, 1, 1) if ndim == 4 else (1, 1, 1))


class RandomContrast(RandomImageLayer):
    """Scale each image's deviation from its per-channel mean by a random factor, clipped to `value_range`.

    As in Keras 3, a number `factor` f draws from [1, 1 + f] (its lower bound is clamped at 0) and a pair
    (lo, hi) from [1 - lo, 1 + hi].
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = base_factor(self, factor, (0, 1))
        self.value_range = value_range

    def transform(self, inputs):
        batch, _, _ = self._image_shape(inputs.shape)
        return self.adjust(inputs, self._uniform(1.0 - self.factor[0], 1.0 + self.factor[1], batch))

    def adjust(self, inputs, contrast_factors):
        """Scale by `contrast_factors` (one per image) about each image's channel means."""
        x = as_tensor(inputs)
        h_axis = x.ndim - (2 if self.data_format == "channels_first" else 3)
        mean = ops.mean(ops.mean(x, axis=h_axis, keepdims=True), axis=h_axis + 1, keepdims=True)
        out = (x - mean) * _per_image(contrast_factors, x.ndim).astype(x.dtype) + mean
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}


class RandomBrightness(RandomImageLayer):
    """Add a random fraction `factor` of the value range to each image, clipped to `value_range`."""

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = base_factor(self, factor, (-1, 1))
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(
                f"The `value_range` argument should be a list of two numbers. Received: value_range={value_range}"
            )
        self.value_range = sorted(value_range)

    def transform(self, inputs):
        batch, _, _ = self._image_shape(inputs.shape)
        return self.adjust(inputs, self._uniform(self.factor[0], self.factor[1], batch))

    def adjust(self, inputs, deltas):
        """Add `deltas` (fractions of the value range, one per image)."""
        x = as_tensor(inputs)
        delta = _per_image(deltas, x.ndim) * np.float32(self.value_range[1] - self.value_range[0])
        return ops.clip(x + delta.astype(x.dtype), self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}
