"""DataLayer: the base of the preprocessing layers that take text or integer ids (no gradients)."""

import numpy as np

from npkeras.layers import symbolic
from npkeras.layers.layer import Layer


class DataLayer(Layer):
    """A layer whose input is data, not a differentiable tensor: a Python list (of strings, of ids) is one
    array, as Keras converts it, and arrays are taken as they are (no cast to the layer's float dtype)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.autocast = False

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)) and not symbolic.is_symbolic(inputs):
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)
