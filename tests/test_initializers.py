"""Initializers: Keras 3's distributions, limits, defaults, seeds, fans and identifiers."""

import math
import tracemalloc

import numpy as np
import pytest

from npkeras import initializers
from npkeras.layers import Dense
from npkeras.utils import set_random_seed

TRUNCATED_STD_FACTOR = 0.87962566103423978  # std of a unit normal truncated at +-2


# ---- fans -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, fans",
    [((3, 3, 16, 32), (144, 288)), ((5, 7), (5, 7)), ((4,), (4, 4)), ((), (1, 1)), ((3, 8, 16), (24, 48))],
)
def test_compute_fans(shape, fans):
    assert initializers.compute_fans(shape) == fans


# ---- variance scaling presets -----------------------------------------------------------


def test_glorot_uniform_limit_and_variance():
    fan_in, fan_out = 400, 600
    values = initializers.GlorotUniform(seed=1)((fan_in, fan_out))
    limit = math.sqrt(6 / (fan_in + fan_out))
    assert values.shape == (fan_in, fan_out)
    assert values.dtype == np.float32
    assert np.abs(values).max() <= limit
    assert values.max() > 0.99 * limit and values.min() < -0.99 * limit
    np.testing.assert_allclose(values.var(), 2 / (fan_in + fan_out), rtol=0.02)
    assert abs(values.mean()) < 0.01 * limit


def test_glorot_uniform_conv_kernel_uses_receptive_field():
    values = initializers.get("glorot_uniform")((3, 3, 16, 32))
    assert np.abs(values).max() <= math.sqrt(6 / (144 + 288))


@pytest.mark.parametrize(
    "cls, shape, variance",
    [
        (initializers.HeNormal, (1000, 1000), 2 / 1000),
        (initializers.LecunNormal, (1000, 500), 1 / 1000),
        (initializers.GlorotNormal, (600, 400), 2 / 1000),
        (initializers.HeNormal, (5, 5, 64, 128), 2 / (5 * 5 * 64)),
    ],
)
def test_truncated_normal_presets_std(cls, shape, variance):
    values = cls(seed=3)(shape)
    target = math.sqrt(variance)
    np.testing.assert_allclose(values.std(), target, rtol=0.02)
    assert abs(values.mean()) < 0.02 * target
    # truncated at two standard deviations of the underlying normal
    assert np.abs(values).max() <= 2 * target / TRUNCATED_STD_FACTOR * (1 + 1e-6)
    assert np.abs(values).max() > 1.9 * target / TRUNCATED_STD_FACTOR


@pytest.mark.parametrize(
    "cls, shape, limit",
    [
        (initializers.HeUniform, (500, 300), math.sqrt(6 / 500)),
        (initializers.LecunUniform, (500, 300), math.sqrt(3 / 500)),
    ],
)
def test_uniform_presets_limits(cls, shape, limit):
    values = cls(seed=4)(shape)
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.99 * limit
    np.testing.assert_allclose(values.var(), limit**2 / 3, rtol=0.03)


def test_variance_scaling_untruncated_and_modes():
    values = initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="untruncated_normal", seed=5)(
        (200, 800)
    )
    np.testing.assert_allclose(values.std(), math.sqrt(2 / 800), rtol=0.02)
    assert np.abs(values).max() > 2.5 * math.sqrt(2 / 800)  # not truncated


@pytest.mark.parametrize(
    "kwargs", [{"scale": 0.0}, {"scale": -1.0}, {"mode": "fan_sum"}, {"distribution": "normal_ish"}]
)
def test_variance_scaling_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        initializers.VarianceScaling(**kwargs)


# ---- constants --------------------------------------------------------------------------


def test_zeros_ones_constant():
    np.testing.assert_array_equal(initializers.Zeros()((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(initializers.Ones()((4,)), np.ones(4))
    np.testing.assert_array_equal(initializers.Constant(3.5)((2, 2)), np.full((2, 2), 3.5))
    assert initializers.Zeros()((2,)).dtype == np.float32
    assert initializers.Ones()((2,), dtype="float64").dtype == np.float64
    assert initializers.Constant(2)((1,), dtype="int32").dtype == np.int32
    assert initializers.Constant().get_config() == {"value": 0.0}


# ---- random normal / uniform ------------------------------------------------------------


def test_random_normal_defaults():
    init = initializers.RandomNormal()
    assert init.get_config() == {"mean": 0.0, "stddev": 0.05, "seed": None}
    values = initializers.RandomNormal(seed=6)((500, 500))
    np.testing.assert_allclose(values.std(), 0.05, rtol=0.01)
    assert abs(values.mean()) < 0.001
    assert values.dtype == np.float32


def test_random_normal_arguments():
    values = initializers.RandomNormal(mean=1.0, stddev=0.2, seed=7)((300, 300))
    np.testing.assert_allclose(values.mean(), 1.0, atol=0.005)
    np.testing.assert_allclose(values.std(), 0.2, rtol=0.02)


def test_random_uniform_defaults():
    init = initializers.RandomUniform()
    assert init.get_config() == {"minval": -0.05, "maxval": 0.05, "seed": None}
    values = initializers.RandomUniform(seed=8)((500, 500))
    assert values.min() >= -0.05 and values.max() <= 0.05
    assert values.min() < -0.0499 and values.max() > 0.0499
    np.testing.assert_allclose(values.var(), 0.1**2 / 12, rtol=0.02)


def test_truncated_normal():
    values = initializers.TruncatedNormal(stddev=0.1, seed=9)((400, 400))
    assert np.abs(values).max() <= 0.2
    np.testing.assert_allclose(values.std(), 0.1 * TRUNCATED_STD_FACTOR, rtol=0.02)


# ---- seeds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls", [initializers.GlorotUniform, initializers.HeNormal, initializers.RandomNormal, initializers.RandomUniform]
)
def test_seeded_initializer_repeats_values(cls):
    init = cls(seed=1)
    first = init((4, 5))
    np.testing.assert_array_equal(first, init((4, 5)))
    np.testing.assert_array_equal(first, cls(seed=1)((4, 5)))
    assert not np.array_equal(first, cls(seed=2)((4, 5)))


def test_unseeded_initializer_draws_new_values():
    init = initializers.GlorotUniform()
    assert not np.array_equal(init((4, 5)), init((4, 5)))


def test_set_random_seed_makes_unseeded_initializers_reproducible():
    set_random_seed(123)
    first = initializers.GlorotUniform()((3, 4))
    set_random_seed(123)
    np.testing.assert_array_equal(first, initializers.GlorotUniform()((3, 4)))


def test_seed_must_be_an_integer():
    with pytest.raises(ValueError, match="seed"):
        initializers.GlorotUniform(seed="abc")


# ---- get / serialize --------------------------------------------------------------------


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("glorot_uniform", initializers.GlorotUniform),
        ("GlorotUniform", initializers.GlorotUniform),
        ("he_normal", initializers.HeNormal),
        ("HeNormal", initializers.HeNormal),
        ("lecun_normal", initializers.LecunNormal),
        ("zeros", initializers.Zeros),
        ("ones", initializers.Ones),
        ("random_normal", initializers.RandomNormal),
        ("RandomUniform", initializers.RandomUniform),
        ("truncated_normal", initializers.TruncatedNormal),
    ],
)
def test_get_by_name(identifier, cls):
    assert isinstance(initializers.get(identifier), cls)


def test_get_by_config_dict():
    init = initializers.get({"class_name": "GlorotUniform", "config": {"seed": 3}})
    assert isinstance(init, initializers.GlorotUniform)
    assert init.seed == 3
    keras_form = {
        "module": "keras.initializers",
        "class_name": "RandomNormal",
        "config": {"mean": 0.5, "stddev": 0.1, "seed": None},
        "registered_name": None,
    }
    init = initializers.get(keras_form)
    assert isinstance(init, initializers.RandomNormal)
    assert (init.mean, init.stddev) == (0.5, 0.1)


def test_get_passes_instances_and_none():
    init = initializers.HeUniform(seed=2)
    assert initializers.get(init) is init
    assert initializers.get(None) is None


def test_unknown_initializer_name():
    with pytest.raises(ValueError) as info:
        initializers.get("foo")
    message = str(info.value)
    assert "Could not interpret initializer identifier" in message
    assert "foo" in message
    assert "glorot_uniform" in message and "he_normal" in message


def test_serialize_matches_keras_form():
    assert initializers.serialize(initializers.GlorotUniform()) == {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "config": {"seed": None, "input_axes": None, "output_axes": None},  # Keras 3.15
        "registered_name": None,
    }
    assert initializers.serialize(initializers.Zeros()) == {
        "module": "keras.initializers",
        "class_name": "Zeros",
        "config": {},
        "registered_name": None,
    }
    round_trip = initializers.get(initializers.serialize(initializers.HeNormal(seed=4)))
    assert isinstance(round_trip, initializers.HeNormal) and round_trip.seed == 4


# ---- big weights: drawn a chunk at a time -------------------------------------------------

BIG = (1100, 1000)  # more values than one draw chunk, so the chunks' seams are covered too


def test_seeded_values_equal_one_float64_draw_of_the_whole_shape():
    """Drawing in chunks changes no seeded weight: the stream, and the truncated normal's redraws, run as before."""
    rng = np.random.default_rng(21)
    expected = rng.uniform(-0.2, 0.3, BIG).astype(np.float32)
    np.testing.assert_array_equal(initializers.RandomUniform(-0.2, 0.3, seed=21)(BIG), expected)
    rng = np.random.default_rng(22)
    expected = rng.normal(0.1, 0.4, BIG).astype(np.float32)
    np.testing.assert_array_equal(initializers.RandomNormal(0.1, 0.4, seed=22)(BIG), expected)
    rng = np.random.default_rng(23)
    z = rng.standard_normal(BIG)
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2
    expected = (0.1 + 0.4 * z).astype(np.float32)
    np.testing.assert_array_equal(initializers.TruncatedNormal(0.1, 0.4, seed=23)(BIG), expected)


@pytest.mark.parametrize(
    "init, mean, std, bound",
    [
        (initializers.RandomUniform(-0.3, 0.7, seed=11), 0.2, 1 / math.sqrt(12), (-0.3, 0.7)),
        (initializers.RandomNormal(0.5, 0.2, seed=12), 0.5, 0.2, None),
        (initializers.TruncatedNormal(-1.0, 0.3, seed=13), -1.0, 0.3 * TRUNCATED_STD_FACTOR, (-1.6, -0.4)),
        (initializers.GlorotUniform(seed=14), 0.0, math.sqrt(2 / 2100), (-math.sqrt(6 / 2100), math.sqrt(6 / 2100))),
        (
            initializers.HeNormal(seed=15),
            0.0,
            math.sqrt(2 / 1100),
            (-2 * math.sqrt(2 / 1100) / TRUNCATED_STD_FACTOR, 2 * math.sqrt(2 / 1100) / TRUNCATED_STD_FACTOR),
        ),
        (initializers.VarianceScaling(distribution="untruncated_normal", seed=16), 0.0, math.sqrt(1 / 1100), None),
    ],
    ids=["uniform", "normal", "truncated_normal", "glorot_uniform", "he_normal", "untruncated_normal"],
)
def test_big_float32_weights_keep_keras_distributions(init, mean, std, bound):
    values = init(BIG, dtype="float32")
    assert values.dtype == np.float32 and values.shape == BIG
    assert abs(values.mean() - mean) < 0.005 * std
    np.testing.assert_allclose(values.std(), std, rtol=0.005)
    np.testing.assert_allclose(values.ravel()[-10_000:].std(), std, rtol=0.05)  # the last, partial chunk too
    if bound is None:  # an untruncated normal reaches past 4 standard deviations in a million draws
        assert np.abs(values - mean).max() > 4 * std
    else:
        low, high = np.float32(bound[0]), np.float32(bound[1])
        assert low <= values.min() and values.max() <= high
        width = high - low
        assert values.min() < low + 0.001 * width and values.max() > high - 0.001 * width


def test_orthogonal_in_float32():
    values = initializers.Orthogonal(gain=2.0, seed=17)((64, 32), dtype="float32")
    assert values.dtype == np.float32
    np.testing.assert_allclose(values.T @ values, 4 * np.eye(32), atol=1e-5)


def test_float64_weights_are_drawn_in_float64():
    values = initializers.GlorotNormal(seed=18)((50, 40), dtype="float64")
    assert values.dtype == np.float64
    assert not np.array_equal(values, values.astype(np.float32))


def _peak_bytes(build):
    """The most memory `build()` held at once beyond what was in use before, as tracemalloc sees NumPy's buffers."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        build()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", ["random_uniform", "random_normal", "truncated_normal", "glorot_uniform", "he_normal"])
def test_drawing_big_weights_peaks_within_1_5x_their_size(name):
    init, shape = initializers.get(name), (2048, 2048)
    assert _peak_bytes(lambda: init(shape)) <= 1.5 * 2048 * 2048 * 4


def test_building_a_big_dense_layer_peaks_within_1_5x_its_kernel():
    layer = Dense(4096)
    peak = _peak_bytes(lambda: layer.build((None, 4096)))
    assert np.asarray(layer.kernel).dtype == np.float32
    assert peak <= 1.5 * 4096 * 4096 * 4
