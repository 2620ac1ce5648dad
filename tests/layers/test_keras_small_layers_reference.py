"""The small layers match Keras-TensorFlow: activation layers (Softmax with masks), RepeatVector, Permute,
UpSampling, Cropping, Identity, ActivityRegularization, the noise layers (in inference), Dot, UnitNormalization and
GroupNormalization: outputs, gradients and serialized configs.

The fixture is made by tests/fixtures/make_small_layers_reference.py; each case holds the constructor kwargs, the input,
the weights, the output and the gradients of sum(y * gy) for a random upstream gradient gy.
"""

import pytest

from tests.layers.keras_reference import check_keras_config_round_trip, check_outputs_and_gradients, load_reference

REFERENCE = load_reference("small_layers_reference.npz")


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_layer_matches_keras_tensorflow(case):
    check_outputs_and_gradients(REFERENCE[case])


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_keras_serialized_layer_round_trips(case):
    check_keras_config_round_trip(REFERENCE[case])
