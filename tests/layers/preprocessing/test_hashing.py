"""Hashing (npkeras/layers/preprocessing/hashing.py) against Keras-TensorFlow."""

import numpy as np
import pytest

import npkeras as keras
from tests.layers.preprocessing.lookup_reference import cases, check_case, check_config, ids

HASHING_CASES = cases("Hashing")


@pytest.mark.parametrize("case", HASHING_CASES, ids=ids(HASHING_CASES))
def test_hashing_matches_keras_tensorflow(case):
    check_case(case)


@pytest.mark.parametrize("case", HASHING_CASES, ids=ids(HASHING_CASES))
def test_keras_serialized_hashing_round_trips(case):
    check_config(case)


def test_floats_hash_as_their_truncated_integers():
    layer = keras.layers.Hashing(num_bins=13)
    np.testing.assert_array_equal(np.asarray(layer(np.array([3.7, -2.2]))), np.asarray(layer(np.array([3, -2]))))


def test_hashing_in_a_string_model():
    inputs = keras.Input(shape=(3,), dtype="string")
    outputs = keras.layers.Hashing(num_bins=4, output_mode="multi_hot")(inputs)
    assert outputs.shape == (None, 4) and outputs.dtype == "float32"
    out = keras.Model(inputs, outputs).predict(np.array([["a", "b", "a"]]), verbose=0)
    assert out.shape == (1, 4) and out.sum() in (1.0, 2.0)


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="`num_bins` for `Hashing` cannot be `None` or non-positive"):
        keras.layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="Invalid value for argument `output_mode`"):
        keras.layers.Hashing(num_bins=3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="`salt` argument for `Hashing`"):
        keras.layers.Hashing(num_bins=3, salt="pepper")
    with pytest.raises(ValueError, match="should be an integer type"):
        keras.layers.Hashing(num_bins=3, dtype="float32")
