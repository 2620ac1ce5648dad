"""keras.preprocessing.sequence: the same pad_sequences as npkeras.utils."""

from npkeras.utils.sequences import pad_sequences

__all__ = ["pad_sequences"]
