"""RepeatVector, Permute (npkeras/layers/reshaping.py) and Identity (npkeras/layers/core.py): values, shapes,
gradients, Keras's errors, masks and configs."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def test_repeat_vector_repeats_each_sample_and_sums_its_gradient():
    x = npkeras.ops.convert_to_tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    with npkeras.GradientTape() as tape:
        tape.watch(x)
        y = layers.RepeatVector(4)(x)
        loss = npkeras.ops.sum(y)
    np.testing.assert_array_equal(np.asarray(y), np.repeat(np.asarray(x)[:, None], 4, axis=1))
    np.testing.assert_array_equal(np.asarray(tape.gradient(loss, x)), np.full((2, 3), 4.0))
    assert layers.RepeatVector(4).compute_output_shape((None, 3)) == (None, 4, 3)


def test_repeat_vector_errors():
    with pytest.raises(TypeError, match="Expected an integer value for `n`"):
        layers.RepeatVector(2.0)
    with pytest.raises(ValueError, match="Argument `n` should be a positive integer. Received: n=0"):
        layers.RepeatVector(0)
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layers.RepeatVector(2)(np.zeros((1, 2, 3), np.float32))


def test_permute_reorders_the_non_batch_axes():
    x = np.arange(24, dtype=np.float32).reshape(1, 2, 3, 4)
    np.testing.assert_array_equal(np.asarray(layers.Permute((3, 1, 2))(x)), x.transpose(0, 3, 1, 2))
    assert layers.Permute((2, 1)).compute_output_shape((None, 5, None)) == (None, None, 5)
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        layers.Permute((2, 1))(x)


def test_identity_returns_its_input_and_its_mask():
    x = np.array([[1, 2, 0]])
    embedded = layers.Embedding(3, 2, mask_zero=True)(x)
    y = layers.Identity()(embedded)
    assert y is embedded
    assert layers.Identity().compute_mask(embedded, np.array([[True, False]])).tolist() == [[True, False]]
    assert layers.Identity().compute_output_shape((None, 3)) == (None, 3)


@pytest.mark.parametrize("layer", [layers.RepeatVector(5), layers.Permute((2, 3, 1)), layers.Identity(name="skip")])
def test_config_round_trips(layer):
    config = layers.serialize(layer)
    again = layers.deserialize(config)
    assert type(again) is type(layer) and layers.serialize(again) == config
