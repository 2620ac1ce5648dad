"""Dropout: identity at inference, inverted dropout in training, seeds, config."""

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY

from npkeras import layers, ops
from npkeras.autograd import GradientTape
from npkeras.autograd.tensor import Tensor


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


# ---- SpatialDropout1D / SpatialDropout2D ------------------------------------------------


def _channel_masks(out, x, rate, spatial_axes):
    """Per (sample, channel): True where every position was kept (scaled), False where all were dropped."""
    kept = np.isclose(out, x / (1.0 - rate), rtol=1e-6)
    dropped = out == 0
    all_kept, all_dropped = kept.all(axis=spatial_axes), dropped.all(axis=spatial_axes)
    assert np.all(all_kept | all_dropped), "a feature map was partly dropped"
    return all_kept


def test_spatial_dropout2d_drops_whole_channels_per_sample():
    x = np.random.default_rng(10).uniform(0.5, 1.5, (40, 5, 6, 8)).astype(np.float32)
    out = np.asarray(layers.SpatialDropout2D(0.5, seed=11)(x, training=True))
    assert out.shape == x.shape and out.dtype == np.float32
    kept = _channel_masks(out, x, 0.5, (1, 2))
    assert kept.shape == (40, 8)
    assert 0.35 < kept.mean() < 0.65
    # the draw differs between samples and between channels
    assert not (kept == kept[:1]).all()
    assert not (kept == kept[:, :1]).all()


def test_spatial_dropout2d_channels_first():
    x = np.random.default_rng(12).uniform(0.5, 1.5, (30, 6, 4, 5)).astype(np.float32)
    out = np.asarray(layers.SpatialDropout2D(0.3, data_format="channels_first", seed=13)(x, training=True))
    kept = _channel_masks(out, x, 0.3, (2, 3))
    assert kept.shape == (30, 6)
    assert 0.5 < kept.mean() < 0.9


@pytest.mark.parametrize(
    "layer, x",
    [
        (layers.SpatialDropout2D(0.5, seed=1), np.ones((2, 3, 3, 4), np.float32)),
        (layers.SpatialDropout2D(0.5, data_format="channels_first"), np.ones((2, 4, 3, 3), np.float32)),
        (layers.SpatialDropout1D(0.5, seed=1), np.ones((2, 5, 4), np.float32)),
    ],
    ids=["2d", "2d-channels-first", "1d"],
)
def test_spatial_dropout_is_identity_at_inference(layer, x):
    x = x * np.arange(1, x.shape[-1] + 1, dtype=np.float32)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)


def test_spatial_dropout1d_drops_whole_feature_columns_across_steps():
    x = np.random.default_rng(14).uniform(0.5, 1.5, (50, 7, 6)).astype(np.float32)
    out = np.asarray(layers.SpatialDropout1D(0.4, seed=15)(x, training=True))
    kept = _channel_masks(out, x, 0.4, (1,))
    assert kept.shape == (50, 6)
    assert 0.45 < kept.mean() < 0.75
    assert not (kept == kept[:1]).all()


def test_spatial_dropout_seed_is_reproducible_and_gradient_is_the_mask():
    x = Tensor(np.ones((4, 3, 3, 5), np.float32))
    first = np.asarray(layers.SpatialDropout2D(0.5, seed=21)(x, training=True))
    second_layer = layers.SpatialDropout2D(0.5, seed=21)
    with GradientTape() as tape:
        tape.watch(x)
        out = second_layer(x, training=True)
        loss = ops.sum(out)
    np.testing.assert_array_equal(np.asarray(out), first)
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, x)), first, rtol=1e-6)  # x = 1: out is the mask


def test_spatial_dropout_rate_zero_is_identity_in_training():
    x = np.random.default_rng(16).standard_normal((2, 3, 3, 2)).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(layers.SpatialDropout2D(0.0)(x, training=True)), x)


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: layers.SpatialDropout2D(0.5, name="sd_rank"), (2, 3, 4)),
        (lambda: layers.SpatialDropout2D(0.5, name="sd_rank"), (2, 3, 4, 5, 6)),
        (lambda: layers.SpatialDropout1D(0.5, name="sd_rank"), (2, 3, 4, 5)),
        (lambda: layers.SpatialDropout1D(0.5, name="sd_rank"), (2, 3)),
    ],
    ids=["2d-rank3", "2d-rank5", "1d-rank4", "1d-rank2"],
)
@pytest.mark.parametrize("training", [True, False])
def test_spatial_dropout_wrong_rank_error_names_layer(make, shape, training):
    with pytest.raises(ValueError) as info:
        make()(np.ones(shape, np.float32), training=training)
    assert "sd_rank" in str(info.value)
    assert f"ndim={len(shape)}" in str(info.value)


def test_spatial_dropout_invalid_rate():
    with pytest.raises(ValueError, match="rate"):
        layers.SpatialDropout2D(1.0)


def test_spatial_dropout_keys_match_keras():
    """Keras 3.15 BaseSpatialDropout.get_config: rate, seed, name, dtype (no trainable, no noise_shape)."""
    config1 = layers.SpatialDropout1D(0.3, seed=4, name="sd1").get_config()
    assert list(config1) == ["rate", "seed", "name", "dtype"]
    assert (config1["rate"], config1["seed"], config1["name"]) == (0.3, 4, "sd1")
    config2 = layers.SpatialDropout2D(0.2, data_format="channels_first", name="sd2").get_config()
    assert list(config2) == ["rate", "seed", "name", "dtype", "data_format"]
    assert (config2["rate"], config2["seed"], config2["name"], config2["data_format"]) == (
        0.2,
        None,
        "sd2",
        "channels_first",
    )
    assert layers.SpatialDropout2D(0.2).get_config()["data_format"] == "channels_last"


def test_spatial_dropout_config_equals_keras_exactly():
    assert layers.SpatialDropout1D(0.3, name="s").get_config() == {
        "rate": 0.3,
        "seed": None,
        "name": "s",
        "dtype": "float32",
    }
    assert layers.SpatialDropout2D(0.3, name="s2").get_config() == {
        "rate": 0.3,
        "seed": None,
        "name": "s2",
        "dtype": "float32",
        "data_format": "channels_last",
    }


@pytest.mark.parametrize(
    "cls, keras_config",
    [
        (layers.SpatialDropout1D, {"rate": 0.3, "seed": 5, "name": "s", "dtype": "float32"}),
        (
            layers.SpatialDropout2D,
            {"rate": 0.3, "seed": 5, "name": "s2", "dtype": "float32", "data_format": "channels_first"},
        ),
    ],
    ids=["1d", "2d"],
)
def test_spatial_dropout_from_keras_config_round_trip(cls, keras_config):
    layer = cls.from_config(keras_config)
    assert (layer.rate, layer.seed, layer.name) == (0.3, 5, keras_config["name"])
    config = layer.get_config()
    assert cls.from_config(config).get_config() == config
    if cls is layers.SpatialDropout2D:
        assert layer.data_format == "channels_first"
    x = np.ones((3, 4, 4, 2) if cls is layers.SpatialDropout2D else (3, 4, 2), np.float32)
    np.testing.assert_array_equal(
        np.asarray(cls.from_config(config)(x, training=True)), np.asarray(cls.from_config(config)(x, training=True))
    )
