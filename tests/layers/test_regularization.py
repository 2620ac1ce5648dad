"""Dropout: identity at inference, inverted dropout in training, seeds, config."""

import numpy as np
import pytest

from npkeras import layers, ops
from npkeras.autograd import GradientTape
from npkeras.autograd.tensor import Tensor

FLOAT32_POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}


def test_dropout_is_identity_at_inference():
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    layer = layers.Dropout(0.5, seed=1)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5, 0.8])
def test_dropout_training_drops_rate_fraction_and_scales(rate):
    x = np.ones((200, 500), dtype=np.float32)
    out = np.asarray(layers.Dropout(rate, seed=3)(x, training=True))
    dropped = out == 0
    assert abs(dropped.mean() - rate) < 0.01
    np.testing.assert_allclose(out[~dropped], 1.0 / (1.0 - rate), rtol=1e-6)
    assert abs(out.mean() - 1.0) < 0.03  # the expectation is preserved
    assert out.dtype == np.float32


def test_dropout_keeps_values_times_scale():
    x = np.random.default_rng(4).standard_normal((50, 40)).astype(np.float32)
    out = np.asarray(layers.Dropout(0.25, seed=5)(x, training=True))
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / 0.75, rtol=1e-6)


def test_dropout_seed_is_reproducible():
    x = np.ones((20, 30), dtype=np.float32)
    first = np.asarray(layers.Dropout(0.5, seed=42)(x, training=True))
    second = np.asarray(layers.Dropout(0.5, seed=42)(x, training=True))
    other = np.asarray(layers.Dropout(0.5, seed=43)(x, training=True))
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_dropout_draws_a_new_mask_each_call():
    x = np.ones((20, 30), dtype=np.float32)
    layer = layers.Dropout(0.5, seed=42)
    assert not np.array_equal(np.asarray(layer(x, training=True)), np.asarray(layer(x, training=True)))


def test_dropout_rate_zero_is_identity_in_training():
    x = np.random.default_rng(6).standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(layers.Dropout(0.0)(x, training=True)), x)


def test_dropout_gradient_is_the_scaled_mask():
    x = Tensor(np.random.default_rng(7).standard_normal((10, 10)).astype(np.float32))
    layer = layers.Dropout(0.4, seed=8)
    with GradientTape() as tape:
        tape.watch(x)
        out = layer(x, training=True)
        loss = ops.sum(out)
    grad = np.asarray(tape.gradient(loss, x))
    mask = (np.asarray(out) != 0) / 0.6
    np.testing.assert_allclose(grad, mask, rtol=1e-6)


def test_dropout_noise_shape_shares_mask_along_none_free_axes():
    x = np.ones((100, 8), dtype=np.float32)
    out = np.asarray(layers.Dropout(0.5, noise_shape=(None, 1), seed=9)(x, training=True))
    rows_dropped = (out == 0).all(axis=1)
    rows_kept = (out == 2.0).all(axis=1)
    assert np.all(rows_dropped | rows_kept)
    assert 0 < rows_dropped.sum() < 100


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_dropout_invalid_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(rate)


def test_dropout_has_no_weights_and_keeps_shape():
    layer = layers.Dropout(0.2)
    layer(np.ones((2, 3), dtype=np.float32), training=True)
    assert layer.weights == []
    assert layer.count_params() == 0
    assert layer.compute_output_shape((None, 7, 3)) == (None, 7, 3)


def test_dropout_config():
    config = layers.Dropout(0.3, name="drop").get_config()
    assert config == {
        "name": "drop",
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "rate": 0.3,
        "seed": None,
        "noise_shape": None,
    }
    seeded = layers.Dropout(0.5, seed=3, name="drop_seeded").get_config()
    assert seeded["seed"] == 3
    clone = layers.Dropout.from_config(seeded)
    assert clone.get_config() == seeded
    x = np.ones((10, 10), dtype=np.float32)
    np.testing.assert_array_equal(
        np.asarray(clone(x, training=True)), np.asarray(layers.Dropout(0.5, seed=3)(x, training=True))
    )
