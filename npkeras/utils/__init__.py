"""Utilities: seeds, one-hot labels, progress bar, session reset."""

from npkeras.backend.global_state import clear_session
from npkeras.backend.random import set_random_seed
from npkeras.utils.numerical import normalize, to_categorical
from npkeras.utils.progbar import Progbar

__all__ = ["Progbar", "clear_session", "normalize", "set_random_seed", "to_categorical"]
