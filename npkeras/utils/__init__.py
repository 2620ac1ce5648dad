"""Utilities: seeds, one-hot labels, sequence padding, progress bar, PyDataset, session reset."""

from npkeras.backend.global_state import clear_session
from npkeras.backend.random import set_random_seed
from npkeras.utils.numerical import normalize, to_categorical
from npkeras.utils.progbar import Progbar
from npkeras.utils.py_dataset import PyDataset, Sequence
from npkeras.utils.sequences import pad_sequences

__all__ = [
    "Progbar",
    "PyDataset",
    "Sequence",
    "clear_session",
    "normalize",
    "pad_sequences",
    "set_random_seed",
    "to_categorical",
]
