"""Symbolic calls: output shapes inferred from probes, unknown lengths staying unknown."""

import numpy as np

import npkeras
from npkeras import layers


def test_an_unknown_length_is_probed_long_enough_for_kernels_and_stays_unknown():
    inputs = npkeras.Input((None, 10))
    conv = layers.Conv1D(3, 5)(inputs)
    pooled = layers.MaxPooling1D(2)(conv)
    strided = layers.Conv1D(4, 3, strides=2)(pooled)
    assert conv.shape == (None, None, 3) and pooled.shape == (None, None, 3) and strided.shape == (None, None, 4)
    model = npkeras.Model(inputs, layers.GlobalMaxPooling1D()(strided))
    assert model.predict(np.ones((2, 40, 10)), verbose=0).shape == (2, 4)


def test_unknown_steps_through_embedding_and_lstm():
    ids = npkeras.Input((None,), dtype="int32")
    sequences = layers.LSTM(6, return_sequences=True)(layers.Embedding(20, 4)(ids))
    assert sequences.shape == (None, None, 6)
    assert layers.Dense(2)(sequences).shape == (None, None, 2)
