""".keras files with preprocessing layers exchange with Keras-TensorFlow both ways.

Keras -> npkeras reads tests/fixtures/keras_saved/preprocessing.keras (made by make_keras_saved_preprocessing.py);
npkeras -> Keras needs a Python with TensorFlow (NPKERAS_KERAS_PYTHON), through the keras_reader fixture.
"""

from pathlib import Path

import numpy as np

import npkeras as keras

SAVED = Path(__file__).resolve().parents[2] / "fixtures" / "keras_saved"


def test_a_keras_saved_preprocessing_model_predicts_as_in_keras():
    model = keras.models.load_model(SAVED / "preprocessing.keras")
    expected = np.load(SAVED / "preprocessing_outputs.npz")
    normalization = next(layer for layer in model.layers if isinstance(layer, keras.layers.Normalization))
    assert [w.name for w in normalization.weights] == ["mean", "variance", "count"]
    assert np.abs(normalization.get_weights()[0]).min() > 0.1  # the adapted statistics came from the file
    np.testing.assert_allclose(model.predict(expected["x"], verbose=0), expected["y"], rtol=1e-5, atol=1e-5)


def _npkeras_model(rng):
    images = rng.uniform(0, 255, (20, 6, 6, 3)).astype(np.float32)
    normalization = keras.layers.Normalization()
    normalization.adapt(images / 255.0)
    model = keras.Sequential(
        [
            keras.Input((6, 6, 3)),
            keras.layers.Rescaling(1 / 255.0),
            keras.layers.RandomFlip(seed=5),
            keras.layers.RandomRotation(0.1, seed=1),
            normalization,
            keras.layers.Resizing(4, 5),
            keras.layers.Flatten(),
            keras.layers.Dense(3),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(images, rng.standard_normal((20, 3)).astype(np.float32), epochs=1, batch_size=10, verbose=0)
    return model


def test_an_npkeras_preprocessing_model_saves_and_loads_here(tmp_path):
    rng = np.random.default_rng(0)
    model = _npkeras_model(rng)
    x = rng.uniform(0, 255, (4, 6, 6, 3)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras_loads_an_npkeras_preprocessing_model_with_the_same_predictions(keras_reader, tmp_path):
    rng = np.random.default_rng(1)
    model = _npkeras_model(rng)
    x = rng.uniform(0, 255, (4, 6, 6, 3)).astype(np.float32)
    path = str(tmp_path / "m.keras")
    model.save(path)
    seen = keras_reader({path: x}, tmp_path)
    np.testing.assert_allclose(seen[f"{path}.y"], model.predict(x, verbose=0), rtol=1e-5, atol=1e-5)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_array_equal(seen[f"{path}.w.{i}"], w)
