"""The base of the random image augmentation layers: seeding, factor ranges, the `training` default."""

import numpy as np

from npkeras.backend import random
from npkeras.backend.global_state import context
from npkeras.layers import symbolic
from npkeras.layers.input_spec import check_data_format
from npkeras.layers.layer import Layer


class RandomImageLayer(Layer):
    """An augmentation layer: it transforms only in training and returns its input (as float) otherwise.

    As in Keras, a layer called directly on data (not inside a model's call, not given `training`) augments;
    `model.predict` and `evaluate` never do. A `seed` gives the layer its own generator (saved with the model,
    as Dropout's); without one it draws from npkeras's per-thread stream (`keras.utils.set_random_seed`).
    """

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.data_format = check_data_format(self, data_format)
        self._rng = None if seed is None else np.random.default_rng(seed)
        self.built = True

    def __call__(self, inputs, *args, training=None, **kwargs):
        if training is None and not context.call_training and not symbolic.is_symbolic(inputs, args, kwargs):
            training = True  # Keras's call signature default for these layers
        return super().__call__(inputs, *args, training=training, **kwargs)

    def _generator(self):
        return self._rng if self._rng is not None else random.generator()

    def _uniform(self, low, high, shape):
        return self._generator().uniform(low, high, shape)

    def _image_shape(self, shape):
        """(batch, height, width) of a batch or one image, checking the rank."""
        if len(shape) not in (3, 4):
            raise ValueError(
                f'Layer "{self.name}" expects images of rank 3 (one image) or 4 (a batch of images). '
                f"Received input with shape: {tuple(shape)}"
            )
        batch = shape[0] if len(shape) == 4 else 1
        h = len(shape) - (2 if self.data_format == "channels_first" else 3)
        return batch, shape[h], shape[h + 1]

    def call(self, inputs, training=True):
        if not training:
            return inputs
        return self.transform(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


def symmetric_factor(layer, factor, bounds, message, open_low=False):
    """(lower, upper) from a number f (-f, f) or a pair, each within `bounds` (Keras's factor checks)."""

    def check(v):
        low_bad = v <= bounds[0] if open_low else v < bounds[0]
        if low_bad or v > bounds[1]:
            raise ValueError(f'Layer "{layer.name}": {message}Received: input_number={v}')

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(f'Layer "{layer.name}": {message}Received: factor={factor}')
        check(factor[0])
        check(factor[1])
        lower, upper = sorted(factor)
    elif isinstance(factor, (int, float)):
        check(factor)
        factor = abs(factor)
        lower, upper = -factor, factor
    else:
        raise ValueError(f'Layer "{layer.name}": {message}Received: factor={factor}')
    return lower, upper


def base_factor(layer, factor, bounds):
    """Keras's base preprocessing factor: a number f gives (max(-f, low), f), a pair is sorted; within `bounds`."""
    message = (
        "The `factor` argument should be a number (or a list of two numbers) in the range "
        f"[{bounds[0]}, {bounds[1]}]. Received: factor={factor}"
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise ValueError(f'Layer "{layer.name}": {message}')
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if factor < bounds[0] or factor > bounds[1]:
            raise ValueError(f'Layer "{layer.name}": {message}')
        factor = abs(factor)
        return (max(-factor, bounds[0]), factor)
    raise ValueError(f'Layer "{layer.name}": {message}')
