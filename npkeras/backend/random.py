"""The global random state: one NumPy Generator seeded by set_random_seed."""

import random as _py_random

import numpy as np

_generator = np.random.default_rng()


def set_random_seed(seed):
    """Seed Python's, NumPy's and npkeras's random generators, as keras.utils.set_random_seed."""
    global _generator
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"Expected `seed` to be an integer. Received: seed={seed!r}")
    seed = int(seed)
    _py_random.seed(seed)
    np.random.seed(seed % 2**32)
    _generator = np.random.default_rng(seed)


def generator():
    """The Generator every initializer, shuffle and dropout mask draws from."""
    return _generator


def get_state():
    """The generator's state as a plain dict (for saving and exact resume)."""
    return _generator.bit_generator.state


def set_state(state):
    _generator.bit_generator.state = state
