"""SeedGenerator (keras.random.SeedGenerator) and how a `seed=` argument becomes a NumPy Generator.

A SeedGenerator is itself a NumPy Generator (PCG64 seeded with its seed), so every op or layer that draws from
a Generator (Dropout, the noise layers) accepts one where it accepts an integer seed, and each draw advances it.
"""

import numpy as np

from npkeras.backend import random
from npkeras.utils.naming import to_snake_case, uniquify


class SeedGenerator(np.random.Generator):
    """A random stream that advances on every draw: two generators made with the same seed draw the same values.

    `seed=None` takes its seed from npkeras's global stream (so `keras.utils.set_random_seed` fixes it too).
    """

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        initial = seed
        if seed is None:
            seed = int(random.generator().integers(1, 10**9))
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        super().__init__(np.random.PCG64(int(seed) % 2**64))
        self._initial_seed = initial
        self.name = name if name is not None else uniquify(to_snake_case(type(self).__name__))

    def next(self, ordered=True):
        """A new seed, shape (2,) uint32, drawn from this stream (which advances); `ordered` is accepted for
        Keras compatibility."""
        return self.integers(0, 2**32, size=2, dtype=np.uint32)

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name!r} seed={self._initial_seed!r}>"


def draw_generator(seed):
    """The Generator a random function draws from for `seed`: None, this thread's npkeras stream (seeded by
    set_random_seed); an integer, a fresh Generator seeded with it (the same values on every call); a
    SeedGenerator, itself (it advances)."""
    if seed is None:
        return random.generator()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.default_rng(int(seed) % 2**64)
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
        f"Received: seed={seed} (of type {type(seed)})"
    )
