"""IntegerLookup (npkeras/layers/preprocessing/integer_lookup.py) against Keras-TensorFlow: outputs, vocabularies,
configs."""

import pytest

from tests.layers.preprocessing.lookup_reference import cases, check_case, check_config, ids

CASES = cases("IntegerLookup")


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_integer_lookup_matches_keras_tensorflow(case):
    check_case(case)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_keras_serialized_integer_lookup_round_trips(case):
    check_config(case)
