"""The small layers in .keras files, both ways: a model Keras-TensorFlow saved predicts here as in Keras, and the
same model saved by npkeras predicts in Keras as here (tests/fixtures/small_layers_model.py builds it for both)."""

from pathlib import Path

import numpy as np
import pytest

import npkeras
from tests.fixtures.small_layers_model import build, inputs, randomize

pytest.importorskip("h5py", reason="Keras's .keras files hold HDF5 weights: pip install 'npkeras[h5]'")

SAVED = Path(__file__).parents[1] / "fixtures" / "keras_saved"
LAYER_KINDS = {
    "UpSampling2D", "Cropping2D", "PReLU", "GroupNormalization", "GaussianNoise", "Permute", "Cropping1D",
    "UpSampling1D", "ReLU", "UnitNormalization", "LeakyReLU", "ELU", "GaussianDropout", "AlphaDropout",
    "ActivityRegularization", "RepeatVector", "Dot", "Softmax", "Identity",
}  # fmt: skip


def test_a_keras_saved_model_of_the_small_layers_predicts_as_in_keras():
    expected = np.load(SAVED / "small_layers_outputs.npz")
    model = npkeras.models.load_model(SAVED / "small_layers.keras")
    assert LAYER_KINDS <= {type(layer).__name__ for layer in model.layers}
    np.testing.assert_allclose(model.predict(expected["x"], verbose=0), expected["y"], atol=1e-5, rtol=0)


def test_keras_loads_the_small_layers_saved_by_npkeras(keras_reader, tmp_path):
    model = randomize(build(npkeras), seed=5)
    path = str(tmp_path / "small_layers.keras")
    model.save(path)
    x = inputs(seed=6)
    seen = keras_reader({path: x}, tmp_path)
    np.testing.assert_allclose(seen[f"{path}.y"], model.predict(x, verbose=0), atol=1e-5, rtol=0)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_array_equal(seen[f"{path}.w.{i}"], w)


def test_activity_regularization_adds_its_batch_mean_penalty_to_the_model_losses():
    model = randomize(build(npkeras))
    x = inputs(n=4)
    model(x, training=True)
    assert len(model.losses) == 1
    # the penalty of the input to ActivityRegularization, recomputed from a model that ends there
    layer = next(layer for layer in model.layers if type(layer).__name__ == "ActivityRegularization")
    v = np.asarray(npkeras.Model(model.input, layer.input)(x, training=False))
    # in training the two dropout layers before it are random: recompute in inference instead
    model(x, training=False)
    expected = (0.01 * np.abs(v).sum() + 0.02 * np.square(v).sum()) / 4
    np.testing.assert_allclose(float(np.asarray(model.losses[0])), expected, rtol=1e-5)
