"""split_dataset: Keras-TensorFlow's splits for the same arrays and seeds, sizes, forms, errors."""

import numpy as np
import pytest

import npkeras as keras
from tests.utils.data_utils_reference import load

CASES, ARRAYS = load()
X = np.arange(30).reshape(10, 3)  # as make_data_utils_reference.py
Y = np.arange(10) * 10


@pytest.mark.parametrize("case", sorted(c for c in CASES if c.startswith("split_")))
def test_matches_keras_tensorflow(case):
    left, right = keras.utils.split_dataset((X, Y), **CASES[case]["kwargs"])
    for side, (x, y) in (("left", left), ("right", right)):
        np.testing.assert_array_equal(x, ARRAYS[f"{case}/{side}/x"])
        np.testing.assert_array_equal(y, ARRAYS[f"{case}/{side}/y"])


def test_sizes_and_forms():
    left, right = keras.utils.split_dataset(np.arange(10), left_size=0.25)  # round(2.5) = 2
    np.testing.assert_array_equal(left, [0, 1])
    np.testing.assert_array_equal(right, np.arange(2, 10))
    left, right = keras.utils.split_dataset(list(range(10)), left_size=2, right_size=3)  # the middle is dropped
    np.testing.assert_array_equal(left, [0, 1])
    np.testing.assert_array_equal(right, [7, 8, 9])
    left, right = keras.utils.split_dataset({"a": X, "b": Y}, right_size=4)
    assert set(left) == {"a", "b"} and len(left["a"]) == 6 and list(right["b"]) == [60, 70, 80, 90]
    left, right = keras.utils.split_dataset([X, Y], left_size=0.5)
    assert isinstance(left, list) and left[0].shape == (5, 3)


def test_shuffle_is_seeded_and_leaves_pythons_random_alone():
    import random

    random.seed(0)
    expected = random.random()
    random.seed(0)
    a = keras.utils.split_dataset(np.arange(50), left_size=0.5, shuffle=True, seed=9)
    assert random.random() == expected
    b = keras.utils.split_dataset(np.arange(50), left_size=0.5, shuffle=True, seed=9)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(np.sort(np.concatenate(a)), np.arange(50))


def test_errors():
    with pytest.raises(ValueError, match="At least one of the `left_size` or `right_size` must be specified"):
        keras.utils.split_dataset(X)
    with pytest.raises(ValueError, match="`left_size` should be either a positive integer smaller than 10"):
        keras.utils.split_dataset(X, left_size=10)
    with pytest.raises(ValueError, match="greater than 1"):
        keras.utils.split_dataset(X, left_size=0.7, right_size=0.5)
    with pytest.raises(TypeError, match="Invalid `left_size` Type"):
        keras.utils.split_dataset(X, left_size="half")
    with pytest.raises(ValueError, match="should be smaller than the 10"):
        keras.utils.split_dataset(X, left_size=6, right_size=5)
