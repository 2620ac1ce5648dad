"""Discretization (npkeras/layers/preprocessing/discretization.py) against Keras-TensorFlow."""

import numpy as np
import pytest

import npkeras as keras
from tests.layers.preprocessing.lookup_reference import cases, check_case, check_config, ids

DISCRETIZATION_CASES = cases("Discretization")


@pytest.mark.parametrize("case", DISCRETIZATION_CASES, ids=ids(DISCRETIZATION_CASES))
def test_discretization_matches_keras_tensorflow(case):
    check_case(case)


@pytest.mark.parametrize("case", DISCRETIZATION_CASES, ids=ids(DISCRETIZATION_CASES))
def test_keras_serialized_discretization_round_trips(case):
    check_config(case)


def test_adapted_boundaries_survive_the_config():
    layer = keras.layers.Discretization(num_bins=4)
    layer.adapt(np.arange(100, dtype="float32"))
    copy = keras.layers.Discretization.from_config(layer.get_config())
    assert copy.bin_boundaries == layer.bin_boundaries and len(layer.bin_boundaries) == 3
    x = np.array([[0.0, 30.0, 60.0, 99.0]])
    np.testing.assert_array_equal(np.asarray(copy(x)), [[0, 1, 2, 3]])


def test_adapt_on_batches_merges_summaries():
    layer = keras.layers.Discretization(num_bins=2)
    layer.adapt([np.zeros(50), np.ones(50) * 10])
    assert 0.0 <= layer.bin_boundaries[0] <= 10.0


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        keras.layers.Discretization()
    with pytest.raises(ValueError, match="Both `num_bins` and `bin_boundaries`"):
        keras.layers.Discretization(bin_boundaries=[1.0], num_bins=3)
    with pytest.raises(ValueError, match="Cannot adapt a Discretization layer"):
        keras.layers.Discretization(bin_boundaries=[1.0]).adapt(np.ones(3))
