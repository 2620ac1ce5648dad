"""elementwise.relu: the same values as np.maximum(x, 0) on every layout, in place or not."""

import numpy as np
import pytest

from npkeras.backend import elementwise


@pytest.mark.parametrize("shape", [(0,), (5,), (255,), (256,), (3, 300), (64, 4, 4, 16), (7, 13, 5)])
def test_relu_equals_maximum_with_zero(shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    x.reshape(-1)[: min(x.size, 3)] = [np.nan, -0.0, np.inf][: min(x.size, 3)]
    np.testing.assert_array_equal(elementwise.relu(x), np.maximum(x, 0))


def test_relu_in_place_and_on_strided_views():
    x = np.random.default_rng(1).standard_normal((40, 300))
    expected = np.maximum(x, 0)
    view = x[:, ::2]
    np.testing.assert_array_equal(elementwise.relu(view), np.maximum(view, 0))
    assert elementwise.relu(x, out=x) is x
    np.testing.assert_array_equal(x, expected)


def test_relu_of_integers_keeps_their_dtype():
    x = np.arange(-300, 300, dtype=np.int32)
    y = elementwise.relu(x)
    assert y.dtype == np.int32 and y.min() == 0 and y.max() == 299
