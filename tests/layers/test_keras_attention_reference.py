"""LayerNormalization, MultiHeadAttention, Attention and AdditiveAttention match Keras-TensorFlow: outputs,
gradients (inputs and weights) and configs, with value masks, attention masks and causal masks.

The fixture is made by tests/fixtures/make_attention_reference.py.
"""

import warnings

import pytest

from tests.layers.keras_reference import check_keras_config_round_trip, check_outputs_and_gradients, load_reference

REFERENCE = load_reference("attention_reference.npz")


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_layer_matches_keras_tensorflow(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rms_scaling's deprecation warning, as Keras gives
        check_outputs_and_gradients(REFERENCE[case])


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_keras_serialized_layer_round_trips(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check_keras_config_round_trip(REFERENCE[case])
