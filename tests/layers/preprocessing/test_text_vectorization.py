"""TextVectorization (npkeras/layers/preprocessing/text_vectorization.py) against Keras-TensorFlow."""

import numpy as np
import pytest

import npkeras as keras
from tests.layers.preprocessing.lookup_reference import cases, check_case, check_config, ids

TEXT_CASES = cases("TextVectorization")


@pytest.mark.parametrize("case", TEXT_CASES, ids=ids(TEXT_CASES))
def test_text_vectorization_matches_keras_tensorflow(case):
    check_case(case)


@pytest.mark.parametrize("case", TEXT_CASES, ids=ids(TEXT_CASES))
def test_keras_serialized_text_vectorization_round_trips(case):
    check_config(case)


def test_callable_standardize_and_split():
    layer = keras.layers.TextVectorization(
        standardize=lambda texts: np.char.upper(texts), split=lambda text: text.split("-"), output_sequence_length=3
    )
    layer.adapt(["a-b-b", "c-b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "C", "A"]
    np.testing.assert_array_equal(np.asarray(layer(["b-a", "z"])), [[2, 4, 0], [1, 0, 0]])


def test_adapt_on_batches_and_a_string_model():
    layer = keras.layers.TextVectorization(max_tokens=5, output_mode="multi_hot")
    layer.adapt(iter([np.array(["red red blue"]), np.array(["green red", "blue"])]))
    assert layer.get_vocabulary() == ["[UNK]", "red", "blue", "green"]
    inputs = keras.Input(shape=(1,), dtype="string")
    outputs = layer(inputs)
    assert outputs.shape == (None, 4)
    model = keras.Model(inputs, outputs)
    np.testing.assert_array_equal(
        model.predict(np.array([["blue sky"], ["RED"]]), verbose=0), [[1, 0, 1, 0], [0, 1, 0, 0]]
    )


def test_int_output_without_a_length_is_as_long_as_the_longest_text():
    layer = keras.layers.TextVectorization(vocabulary=["a", "b"])
    assert keras.Input(shape=(), dtype="string").shape == (None,)
    assert layer(keras.Input(shape=(), dtype="string")).shape == (None, None)
    np.testing.assert_array_equal(np.asarray(layer(["a b a", "b"])), [[2, 3, 2], [3, 0, 0]])


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="`output_sequence_length` must not be set"):
        keras.layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="`ngrams` must be None, an integer, or a tuple"):
        keras.layers.TextVectorization(ngrams="2")
    with pytest.raises(ValueError, match="standardize"):
        keras.layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="the input rank must be 1 or the last shape dimension must be 1"):
        keras.layers.TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))


@keras.saving.register_keras_serializable(package="TextTests")
def keep_digits(texts):
    return np.array(["".join(c for c in t if c.isdigit() or c == " ") for t in np.asarray(texts).reshape(-1)])


def test_a_registered_standardize_function_round_trips_through_the_config(tmp_path):
    layer = keras.layers.TextVectorization(standardize=keep_digits, output_sequence_length=2)
    layer.adapt(["a1 b22", "1 c333"])
    assert layer.get_vocabulary() == ["", "[UNK]", "1", "333", "22"]
    config = layer.get_config()
    assert config["standardize"]["config"] == "keep_digits"
    copy = keras.layers.TextVectorization.from_config(config)
    assert copy._standardize is keep_digits
    inputs = keras.Input(shape=(1,), dtype="string")
    model = keras.Model(inputs, layer(inputs))
    model.save(tmp_path / "digits.keras")
    loaded = keras.saving.load_model(tmp_path / "digits.keras")
    np.testing.assert_array_equal(loaded.predict(np.array([["x22 1"]]), verbose=0), [[4, 2]])
