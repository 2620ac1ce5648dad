"""weight_budget: layers built under a budget refuse weights larger than it, before allocating."""

import pytest

from npkeras import layers
from npkeras.layers.weight_budget import weight_budget


def test_weights_within_the_budget_are_created_and_counted():
    with weight_budget(3 * 4 * 4 + 4 * 4, "test file"):
        layers.Dense(4).build((None, 3))
        with pytest.raises(ValueError, match=r"test file: its config asks layer 'dense_1' for a weight of shape \(3, "):
            layers.Dense(4).build((None, 3))


def test_a_huge_weight_is_refused_without_allocating():
    with weight_budget(1 << 20, "hostile.keras"), pytest.raises(ValueError, match="12,000,000,000,000 bytes"):
        layers.Dense(10**12).build((None, 3))


def test_no_budget_outside_the_block():
    layers.Dense(300).build((None, 300))
