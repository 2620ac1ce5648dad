"""A functional graph of keras.ops calls in .keras files, both ways: Keras-TensorFlow's file predicts here as in
Keras, and npkeras's file predicts in Keras as here (tests/fixtures/functional_ops_model.py builds the model)."""

from pathlib import Path

import numpy as np
import pytest

import npkeras
from tests.fixtures.functional_ops_model import build, inputs, reference

pytest.importorskip("h5py", reason="Keras's .keras files hold HDF5 weights: pip install 'npkeras[h5]'")

SAVED = Path(__file__).parents[1] / "fixtures" / "keras_saved"


def test_a_keras_saved_graph_of_operations_predicts_as_in_keras():
    expected = np.load(SAVED / "functional_ops_outputs.npz")
    model = npkeras.models.load_model(SAVED / "functional_ops.keras")
    assert {"Sum", "GetItem", "Where", "Power"} <= {type(op).__name__ for op in model.operations}
    np.testing.assert_allclose(model.predict(expected["x"], verbose=0), expected["y"], atol=1e-5, rtol=0)
    kernel, bias = model.get_layer("dense").get_weights()
    np.testing.assert_allclose(expected["y"], reference(expected["x"], kernel, bias), atol=1e-5, rtol=0)


def test_keras_loads_the_graph_of_operations_saved_by_npkeras(keras_reader, tmp_path):
    model = build(npkeras)
    path = str(tmp_path / "ops.keras")
    model.save(path)
    x = inputs(seed=3)
    seen = keras_reader({path: x}, tmp_path)
    np.testing.assert_allclose(seen[f"{path}.y"], model.predict(x, verbose=0), atol=1e-5, rtol=0)
