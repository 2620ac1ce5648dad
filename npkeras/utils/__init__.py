"""Utilities: seeds, one-hot labels, progress bar, session reset."""

from npkeras.backend.random import set_random_seed
from npkeras.utils.numerical import normalize, to_categorical
from npkeras.utils.progbar import Progbar

__all__ = ["Progbar", "normalize", "set_random_seed", "to_categorical"]
