""".keras files with StringLookup and TextVectorization exchange with Keras-TensorFlow both ways, vocabularies
travelling as Keras's assets ("assets/layers/<name>/vocabulary.txt").

Keras -> npkeras reads tests/fixtures/keras_saved/text_lookup.keras (made by make_lookup_reference.py);
npkeras -> Keras needs a Python with TensorFlow (NPKERAS_KERAS_PYTHON), through the keras_reader fixture.
"""

import zipfile
from pathlib import Path

import numpy as np

import npkeras as keras

SAVED = Path(__file__).resolve().parents[2] / "fixtures" / "keras_saved"
TEXTS = ["the quick fox", "a lazy dog sat", "the dog and the cat", "cat cat cat", "fox"]


def test_a_keras_saved_text_model_predicts_as_in_keras():
    model = keras.models.load_model(SAVED / "text_lookup.keras")
    expected = np.load(SAVED / "text_lookup_outputs.npz")
    assert expected["x"].dtype.kind == "U"
    vectorize, tags = model.get_layer("vectorize"), model.get_layer("tags")
    assert vectorize.vocabulary_size() == 25 and vectorize.get_vocabulary()[:4] == ["", "[UNK]", "the", "fox"]
    assert tags.get_vocabulary() == ["[UNK]", "dog", "mat", "fox", "cat"]
    np.testing.assert_allclose(model.predict(expected["x"], verbose=0), expected["y"], rtol=1e-5, atol=1e-6)


def _npkeras_model():
    vectorize = keras.layers.TextVectorization(output_sequence_length=5, name="vectorize")
    vectorize.adapt(np.array(TEXTS))
    tags = keras.layers.StringLookup(output_mode="multi_hot", name="tags")
    tags.adapt(np.array(["fox", "cat", "cat", "dog"]))
    text = keras.Input(shape=(1,), dtype="string", name="text")
    words = keras.layers.Embedding(vectorize.vocabulary_size(), 3)(vectorize(text))
    joined = keras.layers.Concatenate()([keras.layers.GlobalAveragePooling1D()(words), tags(text)])
    return keras.Model(text, keras.layers.Dense(2)(joined))


def test_an_npkeras_text_model_round_trips_its_vocabularies(tmp_path):
    model = _npkeras_model()
    path = tmp_path / "text.keras"
    model.save(path)
    names = zipfile.ZipFile(path).namelist()
    assert "assets/layers/text_vectorization/vocabulary.txt" in names
    assert "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt" in names
    assert "assets/layers/string_lookup/vocabulary.txt" in names
    x = np.array([["the cat"], ["dog fox fox"], ["nothing"]])
    loaded = keras.models.load_model(path)
    assert loaded.get_layer("vectorize").get_vocabulary() == model.get_layer("vectorize").get_vocabulary()
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_an_npkeras_text_model_loads_in_keras(keras_reader, tmp_path):
    model = _npkeras_model()
    path = tmp_path / "text.keras"
    model.save(path)
    x = np.array([["the cat"], ["dog fox fox"], ["nothing"], ["A lazy CAT."]])
    got = keras_reader({str(path): x}, tmp_path)
    np.testing.assert_allclose(got[f"{path}.y"], model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
