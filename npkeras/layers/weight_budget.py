"""A cap on the weights layers may create while a model file's config is built, so a hostile config
(Dense(units=10**12)) is refused before anything is allocated. The cap binds the thread that loads."""

import contextlib

import numpy as np

from npkeras.backend.global_state import context


@contextlib.contextmanager
def weight_budget(nbytes, source):
    context.weight_budgets.append([int(nbytes), source])
    try:
        yield
    finally:
        context.weight_budgets.pop()


def spend(shape, dtype, layer_name):
    """Count a new weight against the innermost budget; raise ValueError past it."""
    budgets = context.weight_budgets
    if not budgets:
        return
    limit = budgets[-1]
    nbytes = int(np.prod(shape, dtype=object)) * np.dtype(dtype).itemsize
    limit[0] -= nbytes
    if limit[0] < 0:
        raise ValueError(
            f"{limit[1]}: its config asks layer '{layer_name}' for a weight of shape {tuple(shape)} "
            f"({nbytes:,} bytes), more than the file's weights could fill; refusing to allocate it."
        )
