"""CategoryEncoding and the shared encoding (npkeras/layers/preprocessing/category_encoding.py)."""

import numpy as np
import pytest

import npkeras as keras
from npkeras.layers.preprocessing.category_encoding import encode
from tests.layers.preprocessing.lookup_reference import cases, check_case, check_config, ids

CATEGORY_CASES = cases("CategoryEncoding")


@pytest.mark.parametrize("case", CATEGORY_CASES, ids=ids(CATEGORY_CASES))
def test_category_encoding_matches_keras_tensorflow(case):
    check_case(case)


@pytest.mark.parametrize("case", CATEGORY_CASES, ids=ids(CATEGORY_CASES))
def test_keras_serialized_category_encoding_round_trips(case):
    check_config(case)


def test_a_python_list_is_one_batch():
    out = np.asarray(keras.layers.CategoryEncoding(3, output_mode="multi_hot")([[0, 2], [1, 1]]))
    np.testing.assert_array_equal(out, [[1, 0, 1], [0, 1, 0]])


def test_encode_drops_indices_outside_the_depth():
    np.testing.assert_array_equal(encode(np.array([[0, -1, 5, 1]]), "count", 3), [[1, 1, 0]])
    np.testing.assert_array_equal(encode(np.array([2, -1]), "one_hot", 3), [[0, 0, 1], [0, 0, 0]])


def test_symbolic_shapes():
    inputs = keras.Input(shape=(5,), dtype="int64")
    assert keras.layers.CategoryEncoding(7)(inputs).shape == (None, 7)
    assert keras.layers.CategoryEncoding(7, output_mode="one_hot")(keras.Input(shape=(1,))).shape == (None, 7)


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="num_tokens must be set"):
        keras.layers.CategoryEncoding()
    with pytest.raises(ValueError, match="Unknown arg for output_mode"):
        keras.layers.CategoryEncoding(3, output_mode="int")
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        keras.layers.CategoryEncoding(3)(np.array([[1]]), count_weights=np.array([[1.0]]))
