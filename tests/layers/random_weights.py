"""Random inputs and layers built with known random weights, for the recurrent and wrapper tests."""

import numpy as np


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def built(layer, x_shape, seed=0, scale=0.5):
    """Build `layer` for `x_shape` and give it known random weights."""
    layer.build(x_shape)
    rng = np.random.default_rng(seed)
    layer.set_weights([(rng.standard_normal(w.shape) * scale).astype(w.dtype) for w in layer.weights])
    return layer
