"""The convolution family in .keras files, both ways: a model Keras-TensorFlow saved predicts here as in Keras, and
the same model saved by npkeras predicts in Keras as here (tests/fixtures/convolution_family_model.py builds it)."""

from pathlib import Path

import numpy as np
import pytest

import npkeras
from tests.fixtures.convolution_family_model import build, inputs, randomize

pytest.importorskip("h5py", reason="Keras's .keras files hold HDF5 weights: pip install 'npkeras[h5]'")

SAVED = Path(__file__).parents[1] / "fixtures" / "keras_saved"
LAYER_KINDS = {
    "Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D", "Conv1DTranspose", "DepthwiseConv1D", "SeparableConv1D",
    "Conv3D", "MaxPooling3D", "Conv3DTranspose", "AveragePooling3D", "GlobalMaxPooling3D", "GlobalAveragePooling3D",
}  # fmt: skip


def test_a_keras_saved_model_of_the_convolution_family_predicts_as_in_keras():
    expected = np.load(SAVED / "convolution_family_outputs.npz")
    model = npkeras.models.load_model(SAVED / "convolution_family.keras")
    assert LAYER_KINDS <= {type(layer).__name__ for layer in model.layers}
    np.testing.assert_allclose(model.predict(expected["x"], verbose=0), expected["y"], atol=1e-5, rtol=1e-5)


def test_keras_loads_the_convolution_family_saved_by_npkeras(keras_reader, tmp_path):
    model = randomize(build(npkeras), seed=5)
    path = str(tmp_path / "convolution_family.keras")
    model.save(path)
    x = inputs(seed=6)
    seen = keras_reader({path: x}, tmp_path)
    np.testing.assert_allclose(seen[f"{path}.y"], model.predict(x, verbose=0), atol=1e-5, rtol=1e-5)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_array_equal(seen[f"{path}.w.{i}"], w)


def test_the_model_trains():
    model = randomize(build(npkeras), seed=2)
    model.compile(optimizer=npkeras.optimizers.Adam(0.003), loss="mse")
    x = inputs(seed=3, n=16)
    y = np.random.default_rng(4).standard_normal((16, 3)).astype("float32")
    history = model.fit(x, y, epochs=8, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
