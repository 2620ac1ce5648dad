"""StringLookup (npkeras/layers/preprocessing/string_lookup.py) against Keras-TensorFlow: outputs, vocabularies,
configs."""

import pytest

from tests.layers.preprocessing.lookup_reference import cases, check_case, check_config, ids

CASES = cases("StringLookup")


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_string_lookup_matches_keras_tensorflow(case):
    check_case(case)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_keras_serialized_string_lookup_round_trips(case):
    check_config(case)


def test_string_lookup_in_a_sequential_model():
    import numpy as np

    import npkeras as keras

    model = keras.Sequential(
        [keras.Input(shape=(2,), dtype="string"), keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="count")]
    )
    np.testing.assert_array_equal(model.predict(np.array([["a", "a"], ["b", "z"]]), verbose=0), [[0, 2, 0], [1, 0, 1]])
