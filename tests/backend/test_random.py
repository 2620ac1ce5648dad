"""set_random_seed: Python, NumPy and npkeras generators, reproducible weights."""

import random

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.backend import random as backend_random


def _draws():
    return (
        random.random(),
        float(np.random.rand()),
        backend_random.generator().standard_normal(4).tolist(),
    )


def test_same_seed_same_draws():
    npkeras.utils.set_random_seed(42)
    first = _draws()
    npkeras.utils.set_random_seed(42)
    assert _draws() == first
    npkeras.utils.set_random_seed(43)
    assert _draws() != first


def test_backend_and_utils_export_the_same_function():
    assert npkeras.utils.set_random_seed is npkeras.backend.set_random_seed


@pytest.mark.parametrize("seed", [0, 2**32 + 5, np.int64(7)])
def test_accepts_large_and_numpy_integers(seed):
    npkeras.utils.set_random_seed(seed)
    first = _draws()
    npkeras.utils.set_random_seed(seed)
    assert _draws() == first


@pytest.mark.parametrize("bad", ["1", 1.5, None, True])
def test_invalid_seed_raises(bad):
    with pytest.raises(ValueError, match="seed"):
        npkeras.utils.set_random_seed(bad)


def test_seed_makes_initial_weights_reproducible():
    def weights():
        npkeras.clear_session()
        npkeras.utils.set_random_seed(5)
        model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(8), layers.Dense(3)])
        return model.get_weights()

    a, b = weights(), weights()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert np.any(a[0] != 0)


def test_state_round_trip():
    npkeras.utils.set_random_seed(9)
    state = backend_random.get_state()
    first = backend_random.generator().random(3)
    backend_random.set_state(state)
    np.testing.assert_array_equal(backend_random.generator().random(3), first)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_a_seed_that_is_not_a_non_negative_integer_is_refused(seed):
    with pytest.raises(ValueError, match="Expected `seed` to be a non-negative integer"):
        npkeras.utils.set_random_seed(seed)
