"""ResNet50 and VGG16 with Keras-TensorFlow's own (randomly initialized) weights predict as Keras does.

Runs when a Python with TensorFlow is found (this one, or $NPKERAS_KERAS_PYTHON); skips, saying so, otherwise.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import npkeras

pytest.importorskip("h5py", reason="Keras's weight files are HDF5: pip install 'npkeras[h5]'")
SCRIPT = Path(__file__).with_name("keras_applications_script.py")


def keras_python():
    given = os.environ.get("NPKERAS_KERAS_PYTHON")
    for python in [given] if given else [sys.executable]:
        if python and (shutil.which(python) or Path(python).is_file()):
            if subprocess.run([python, "-c", "import tensorflow, keras"], capture_output=True).returncode == 0:
                return python
    return None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ResNet50", "VGG16"])
def test_keras_weights_give_keras_predictions(name, tmp_path):
    python = keras_python()
    if python is None:
        pytest.skip("Keras-TensorFlow is not installed here; set NPKERAS_KERAS_PYTHON to a Python that has it")
    x = np.random.default_rng(0).random((2, 224, 224, 3), dtype=np.float32) * 2 - 1
    np.savez(tmp_path / "x.npz", x=x)
    weights = tmp_path / f"{name}.weights.h5"
    done = subprocess.run([python, str(SCRIPT), name, str(weights), str(tmp_path / "x.npz"), str(tmp_path / "y.npz")],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    expected = np.load(tmp_path / "y.npz")
    model = getattr(npkeras.applications, name)(weights=str(weights))
    assert model.count_params() == int(expected["params"])
    predicted = model.predict(x, verbose=0)
    np.testing.assert_allclose(predicted, expected["y"], atol=1e-4, rtol=0)  # the bar
    np.testing.assert_allclose(predicted, expected["y"], rtol=1e-4, atol=0)  # and each of the ~1e-3 probabilities
