"""Masking: padded timesteps zeroed and masked, the mask reaching the next layer, config as in Keras 3."""

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY

from npkeras import layers


def _padded():
    """(2, 4, 3): sample 0 padded at steps 1 and 3, sample 1 at step 0; a step with one zero feature is kept."""
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype(np.float32)
    x[0, 1] = 0.0
    x[0, 3] = 0.0
    x[1, 0] = 0.0
    x[1, 2, 1] = 0.0  # only one feature equals mask_value: not masked
    return x, np.array([[True, False, True, False], [False, True, True, True]])


def test_mask_and_values():
    x, keep = _padded()
    layer = layers.Masking()
    out = layer(x)
    np.testing.assert_array_equal(layer.compute_mask(x), keep)
    np.testing.assert_array_equal(out._keras_mask, keep)
    np.testing.assert_array_equal(np.asarray(out), x * keep[..., None])
    np.testing.assert_array_equal(np.asarray(out)[1, 2], x[1, 2])
    assert out.shape == x.shape and out.dtype == np.float32
    assert layer.compute_output_shape((None, 4, 3)) == (None, 4, 3)
    assert layer.weights == []


def test_other_mask_value_zeroes_the_masked_steps():
    x = np.array([[[1.0, 2.0], [-1.0, -1.0], [-1.0, 5.0]]], dtype=np.float32)
    layer = layers.Masking(mask_value=-1.0)
    out = layer(x)
    np.testing.assert_array_equal(out._keras_mask, [[True, False, True]])
    np.testing.assert_array_equal(np.asarray(out), [[[1.0, 2.0], [0.0, 0.0], [-1.0, 5.0]]])


def test_mask_reaches_a_recurrent_layer():
    x, keep = _padded()
    masking, lstm = layers.Masking(), layers.LSTM(2)
    via_masking = np.asarray(lstm(masking(x)))
    explicit = np.asarray(lstm(x * keep[..., None], mask=keep))
    np.testing.assert_array_equal(via_masking, explicit)
    unmasked = np.asarray(lstm(x))
    assert not np.allclose(via_masking, unmasked)  # the mask made a difference


def test_get_config_and_round_trip():
    layer = layers.Masking(mask_value=-2.5, name="pad")
    config = layer.get_config()
    assert config == {"name": "pad", "trainable": True, "dtype": FLOAT32_POLICY, "mask_value": -2.5}
    assert list(config) == ["name", "trainable", "dtype", "mask_value"]
    clone = layers.Masking.from_config(config)
    assert clone.get_config() == config
    assert layers.Masking().get_config()["mask_value"] == 0.0


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_non_finite_mask_value_gives_zeros_at_masked_steps():
    x = np.array([[[1.0, 2.0], [np.inf, np.inf]]], dtype=np.float32)
    out = layers.Masking(mask_value=np.inf)(x)
    np.testing.assert_array_equal(out._keras_mask, [[True, False]])
    np.testing.assert_array_equal(np.asarray(out), [[[1.0, 2.0], [0.0, 0.0]]])
