"""A cap on the weights layers may create while a model file's config is built, so a hostile config
(Dense(units=10**12)) is refused before anything is allocated."""

import contextlib

import numpy as np

_LIMITS = []  # [remaining bytes, what the budget is for]


@contextlib.contextmanager
def weight_budget(nbytes, source):
    _LIMITS.append([int(nbytes), source])
    try:
        yield
    finally:
        _LIMITS.pop()


def spend(shape, dtype, layer_name):
    """Count a new weight against the innermost budget; raise ValueError past it."""
    if not _LIMITS:
        return
    limit = _LIMITS[-1]
    nbytes = int(np.prod(shape, dtype=object)) * np.dtype(dtype).itemsize
    limit[0] -= nbytes
    if limit[0] < 0:
        raise ValueError(
            f"{limit[1]}: its config asks layer '{layer_name}' for a weight of shape {tuple(shape)} "
            f"({nbytes:,} bytes), more than the file's weights could fill; refusing to allocate it."
        )
