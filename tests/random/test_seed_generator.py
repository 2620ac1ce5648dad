"""Seeds of npkeras.random: None (the global stream), stateless ints, advancing SeedGenerators, threads."""

import threading

import numpy as np
import pytest

import npkeras as keras
from npkeras import random


def test_int_seed_is_stateless_and_matches_a_fresh_seed_generator():
    a, b = random.normal((4,), seed=42), random.normal((4,), seed=42)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, np.random.default_rng(42).normal(size=4).astype(np.float32))
    np.testing.assert_array_equal(a, random.normal((4,), seed=random.SeedGenerator(42)))
    assert not np.array_equal(a, random.normal((4,), seed=43))


def test_seed_generator_advances_and_repeats_from_its_seed():
    g1, g2 = random.SeedGenerator(7), random.SeedGenerator(7)
    first, second = random.uniform((5,), seed=g1), random.uniform((5,), seed=g1)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, random.uniform((5,), seed=g2))
    np.testing.assert_array_equal(second, random.uniform((5,), seed=g2))
    s1, s2 = g1.next(), g1.next()
    assert s1.shape == (2,) and s1.dtype == np.uint32 and not np.array_equal(s1, s2)
    assert g1.get_config() == {"seed": 7, "name": g1.name}
    assert random.SeedGenerator.from_config(g1.get_config()).get_config()["seed"] == 7
    with pytest.raises(ValueError, match="Argument `seed` must be an integer"):
        random.SeedGenerator("x")
    with pytest.raises(ValueError, match="must be either an integer or an instance of `SeedGenerator`"):
        random.normal((2,), seed=1.5)


def test_none_seed_draws_from_the_global_stream_set_random_seed_fixes():
    keras.utils.set_random_seed(11)
    a = np.asarray(random.normal((3,)))
    b = np.asarray(random.normal((3,)))
    g = random.SeedGenerator()
    keras.utils.set_random_seed(11)
    np.testing.assert_array_equal(a, random.normal((3,)))
    np.testing.assert_array_equal(b, random.normal((3,)))
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(random.uniform((3,), seed=g), random.uniform((3,), seed=random.SeedGenerator()))


def test_threads_draw_their_own_streams():
    out = {}

    def draw(i):
        out[i] = np.asarray(random.normal((1000,)))

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({v.tobytes() for v in out.values()}) == 4


def test_seed_generator_works_as_a_layer_seed():
    layer = keras.layers.Dropout(0.5, seed=random.SeedGenerator(3))
    x = np.ones((4, 50), dtype=np.float32)
    a, b = np.asarray(layer(x, training=True)), np.asarray(layer(x, training=True))
    assert not np.array_equal(a, b)
    again = keras.layers.Dropout(0.5, seed=random.SeedGenerator(3))
    np.testing.assert_array_equal(a, again(x, training=True))
