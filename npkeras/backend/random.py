"""The random state: one NumPy Generator per thread, seeded by set_random_seed.

The thread that calls set_random_seed (or imports npkeras) draws from the seeded generator itself;
any other thread, on its first draw, gets a child spawned from it (NumPy's SeedSequence spawning),
so threads draw independent streams and one thread's draws never shift another's.
"""

import contextlib
import random as _py_random
import threading

import numpy as np

from npkeras.backend.global_state import context

_root = context.generator = np.random.default_rng()  # the seeding thread's generator; children spawn from it
_root_lock = threading.Lock()


def set_random_seed(seed):
    """Seed Python's, NumPy's and this thread's npkeras generator, as keras.utils.set_random_seed."""
    global _root
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"Expected `seed` to be a non-negative integer. Received: seed={seed!r}")
    seed = int(seed)
    _py_random.seed(seed)
    np.random.seed(seed % 2**32)
    with _root_lock:
        _root = context.generator = np.random.default_rng(seed)


def generator():
    """The Generator this thread's initializers, shuffles and dropout masks draw from."""
    rng = context.generator
    if rng is None:
        with _root_lock:
            rng = context.generator = _root.spawn(1)[0]
    return rng


def split_generator():
    """A Generator that goes on with this thread's stream from here, while this thread's own jumps ahead (PCG64's
    jumped(), about 1.24 * 2**127 draws): the new one first draws what this thread would have drawn next, and the
    two never overlap."""
    rng = generator()
    with _root_lock:  # the seeding thread's generator is also where other threads' children spawn from
        twin = np.random.Generator(type(rng.bit_generator)())
        twin.bit_generator.state = rng.bit_generator.state
        rng.bit_generator.state = rng.bit_generator.jumped().state
    return twin


@contextlib.contextmanager
def generator_scope(rng):
    """Inside the block, this thread draws from `rng` (a model's own shuffling and dropout stream)."""
    previous = context.generator
    context.generator = rng
    try:
        yield rng
    finally:
        context.generator = previous


def get_state():
    """This thread's generator state as a plain dict (for saving and exact resume)."""
    return generator().bit_generator.state


def set_state(state):
    generator().bit_generator.state = state
