"""Where arrays live and how they are computed: array module, floatx, seeds, BLAS threads."""

import numpy as xp  # the array module; CuPy will slot in here

from npkeras.backend.config import epsilon, floatx, set_epsilon, set_floatx, standardize_dtype
from npkeras.backend.global_state import clear_session
from npkeras.backend.random import set_random_seed
from npkeras.backend.threads import blas_threads_scope, get_blas_threads, set_blas_threads

__all__ = [
    "xp",
    "clear_session",
    "epsilon",
    "floatx",
    "set_epsilon",
    "set_floatx",
    "standardize_dtype",
    "set_random_seed",
    "blas_threads_scope",
    "get_blas_threads",
    "set_blas_threads",
]
