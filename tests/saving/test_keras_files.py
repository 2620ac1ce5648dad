"""Interop with Keras-TensorFlow: its .keras files load in npkeras, and npkeras's load in Keras.

Keras -> npkeras runs everywhere, on the files in tests/fixtures/keras_saved/ (made by
make_keras_saved_models.py). npkeras -> Keras needs a Python with TensorFlow: this one, or the one
named by $NPKERAS_KERAS_PYTHON (e.g. a venv with tensorflow-cpu); the test skips, saying so, without one.
"""

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

import npkeras
from npkeras import cli, layers

h5py = pytest.importorskip("h5py", reason="Keras's .keras files hold HDF5 weights: pip install 'npkeras[h5]'")

FIXTURES = Path(__file__).parents[1] / "fixtures" / "keras_saved"
OUTPUTS = np.load(FIXTURES / "keras_saved_outputs.npz")
PREDICTED = ["mlp", "cnn", "lstm", "zoo_seq", "zoo_img", "residual"]
STEPPED = ["step_adam", "step_adam_amsgrad", "step_sgd_nesterov", "step_rmsprop_centered"]


def h5_layout(path):
    """{dataset path: shape} of the weights inside a .keras file."""
    with zipfile.ZipFile(path) as zf, h5py.File(io.BytesIO(zf.read("model.weights.h5"))) as f:
        found = {}
        f.visititems(lambda name, obj: found.update({name: obj.shape}) if isinstance(obj, h5py.Dataset) else None)
        return found


@pytest.mark.parametrize("name", PREDICTED)
def test_keras_saved_model_predicts_as_in_keras(name):
    model = npkeras.models.load_model(FIXTURES / f"{name}.keras")
    y = model.predict(OUTPUTS[f"{name}.x"], verbose=0)
    np.testing.assert_allclose(y, OUTPUTS[f"{name}.y"], atol=1e-5, rtol=0)
    assert model.optimizer.get_config()["name"].startswith("adam")
    assert model.loss == "sparse_categorical_crossentropy"


def test_the_notes_lstm_from_keras_has_its_parameter_count():
    model = npkeras.models.load_model(FIXTURES / "lstm.keras")
    assert model.count_params() == 740_106
    assert [type(layer).__name__ for layer in model.layers] == ["Embedding", "LSTM", "Dense"]


@pytest.mark.parametrize("name", STEPPED)
def test_keras_optimizer_state_resumes_with_the_same_next_step(name):
    """Keras trained 2 steps and saved; its third step on a known batch gave w3. Ours must too."""
    model = npkeras.models.load_model(FIXTURES / f"{name}.keras")
    assert int(model.optimizer.iterations.data) == 2
    model.train_on_batch(OUTPUTS[f"{name}.x3"], OUTPUTS[f"{name}.y3"])
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, OUTPUTS[f"{name}.w3.{i}"], atol=1e-6, rtol=0, err_msg=f"weight {i}")


@pytest.mark.parametrize("name", PREDICTED + STEPPED)
def test_npkeras_writes_the_same_weight_layout_as_keras(name, tmp_path):
    """Re-saved by npkeras, each file has exactly Keras's dataset paths and shapes (optimizer included)."""
    model = npkeras.models.load_model(FIXTURES / f"{name}.keras")
    model.save(tmp_path / "again.keras")
    assert h5_layout(tmp_path / "again.keras") == h5_layout(FIXTURES / f"{name}.keras")


def npkeras_models():
    """The notes' MLP, CNN and LSTM (as `npkeras train` builds them), a small LSTM and a functional residual
    model; all trained 2 epochs with Adam, so each file holds optimizer state."""
    mlp, cnn, lstm = (cli.MODELS[name][0]() for name in ("mlp", "cnn", "lstm"))
    lstm.build((None, 20))
    small = npkeras.Sequential(
        [layers.Input((6,)), layers.Embedding(50, 4), layers.LSTM(3), layers.Dense(3, "softmax")]
    )
    image = layers.Input((8, 8, 3))
    x = layers.Conv2D(4, 3, padding="same")(image)
    y = layers.BatchNormalization()(layers.Conv2D(4, 3, padding="same", activation="relu")(x))
    x = layers.Activation("relu")(layers.Add()([x, y]))
    joined = layers.Concatenate()([layers.GlobalAveragePooling2D()(x), layers.GlobalMaxPooling2D()(x)])
    residual = npkeras.Model(image, layers.Dense(3, activation="softmax")(joined))
    rng = np.random.default_rng(3)
    inputs = {
        "mlp": rng.random((4, 28, 28), dtype=np.float32),
        "cnn": rng.random((4, 28, 28, 1), dtype=np.float32),
        "lstm": rng.integers(1, 10000, (4, 20)),
        "small": rng.integers(1, 50, (8, 6)),
        "residual": rng.random((4, 8, 8, 3), dtype=np.float32),
    }
    models = {"mlp": mlp, "cnn": cnn, "lstm": lstm, "small": small, "residual": residual}
    for name, model in models.items():
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(inputs[name], rng.integers(0, 3, len(inputs[name])), epochs=2, batch_size=4, verbose=0)
    return models, inputs


def test_keras_loads_npkeras_files_with_the_same_outputs_and_optimizer_state(keras_reader, tmp_path):
    models, inputs = npkeras_models()
    paths = {}
    for name, model in models.items():
        paths[name] = str(tmp_path / f"{name}.keras")
        model.save(paths[name])
    seen = keras_reader({paths[n]: inputs[n] for n in models}, tmp_path)
    for name, model in models.items():
        expected = model.predict(inputs[name], verbose=0)
        np.testing.assert_allclose(seen[f"{paths[name]}.y"], expected, atol=1e-5, rtol=0, err_msg=name)
        for i, w in enumerate(model.get_weights()):
            np.testing.assert_array_equal(seen[f"{paths[name]}.w.{i}"], w)
        for i, v in enumerate(model.optimizer.variables):
            np.testing.assert_array_equal(seen[f"{paths[name]}.opt.{i}"], v.data, err_msg=f"{name} {v.path}")


def test_keras_loads_an_npkeras_lambda_layer_outside_safe_mode(keras_reader, tmp_path, monkeypatch):
    model = npkeras.Sequential([layers.Input((3,)), layers.Lambda(lambda x: x * 2.0 + 1.0), layers.Dense(2)])
    path = str(tmp_path / "lambda.keras")
    model.save(path)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    monkeypatch.setenv("NPKERAS_TEST_SAFE_MODE", "0")
    seen = keras_reader({path: x}, tmp_path)
    np.testing.assert_allclose(seen[f"{path}.y"], model.predict(x, verbose=0), atol=1e-6)
