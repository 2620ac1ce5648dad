"""A Transformer-block model (MultiHeadAttention with Keras masks and a causal mask, LayerNormalization, Attention,
AdditiveAttention) in .keras files, both ways: Keras-TensorFlow's file predicts here as in Keras, and npkeras's
file predicts in Keras as here (tests/fixtures/transformer_block_model.py builds the model for both)."""

from pathlib import Path

import numpy as np
import pytest

import npkeras
from tests.fixtures.transformer_block_model import build, inputs, randomize

pytest.importorskip("h5py", reason="Keras's .keras files hold HDF5 weights: pip install 'npkeras[h5]'")

SAVED = Path(__file__).parents[1] / "fixtures" / "keras_saved"


def test_a_keras_saved_transformer_block_predicts_as_in_keras():
    expected = np.load(SAVED / "transformer_outputs.npz")
    model = npkeras.models.load_model(SAVED / "transformer.keras")
    kinds = {type(layer).__name__ for layer in model.layers}
    assert {"MultiHeadAttention", "LayerNormalization", "Attention", "AdditiveAttention"} <= kinds
    assert model.count_params() == int(expected["n_params"])
    np.testing.assert_allclose(model.predict(expected["x"], verbose=0), expected["y"], atol=1e-5, rtol=0)


def test_keras_loads_the_transformer_block_saved_by_npkeras(keras_reader, tmp_path):
    model = randomize(build(npkeras), seed=5)
    path = str(tmp_path / "transformer.keras")
    model.save(path)
    x = inputs(seed=6)
    seen = keras_reader({path: x}, tmp_path)
    np.testing.assert_allclose(seen[f"{path}.y"], model.predict(x, verbose=0), atol=1e-5, rtol=0)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_array_equal(seen[f"{path}.w.{i}"], w)
