"""Preprocessing, as keras.preprocessing: `sequence.pad_sequences`."""

from npkeras.preprocessing import sequence

__all__ = ["sequence"]
