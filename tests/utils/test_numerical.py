"""to_categorical and normalize."""

import numpy as np
import pytest

from npkeras.utils import normalize, to_categorical


def test_to_categorical_one_hot_rows():
    out = to_categorical([0, 2, 1])
    np.testing.assert_array_equal(out, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert out.dtype.kind == "f"


def test_to_categorical_with_num_classes():
    out = to_categorical(np.array([1, 0]), num_classes=4)
    assert out.shape == (2, 4)
    np.testing.assert_array_equal(out, [[0, 1, 0, 0], [1, 0, 0, 0]])


def test_to_categorical_squeezes_a_trailing_one():
    assert to_categorical(np.array([[1], [0]]), 3).shape == (2, 3)


def test_to_categorical_keeps_other_axes():
    out = to_categorical(np.array([[1, 2], [0, 1]]))
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.argmax(-1), [[1, 2], [0, 1]])


def test_to_categorical_accepts_integral_floats_and_uint8():
    np.testing.assert_array_equal(to_categorical([1.0, 2.0]), [[0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(to_categorical(np.array([3, 0], np.uint8)).argmax(1), [3, 0])


def test_to_categorical_round_trips_with_argmax():
    labels = np.random.default_rng(0).integers(0, 10, 500)
    out = to_categorical(labels, 10)
    assert out.shape == (500, 10)
    np.testing.assert_array_equal(out.sum(axis=1), 1)
    np.testing.assert_array_equal(out.argmax(axis=1), labels)


def test_to_categorical_rejects_out_of_range_and_negative_labels():
    with pytest.raises((ValueError, IndexError)):
        to_categorical([3], num_classes=2)
    with pytest.raises(ValueError):
        to_categorical([-1, 0], num_classes=2)


def test_to_categorical_rejects_fractional_labels():
    with pytest.raises(ValueError):
        to_categorical([0.5, 1.0])


def test_normalize_l2_rows():
    out = normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])
    assert np.isfinite(out).all()


def test_normalize_axis_and_order():
    x = np.array([[3.0, 4.0], [1.0, 1.0]], dtype="float32")
    np.testing.assert_allclose(normalize(x, axis=0, order=1), [[0.75, 0.8], [0.25, 0.2]])
    np.testing.assert_allclose(normalize(x, order=1), [[3 / 7, 4 / 7], [0.5, 0.5]])


def test_normalize_gives_unit_norm_rows():
    x = np.random.default_rng(1).normal(size=(20, 7))
    np.testing.assert_allclose(np.linalg.norm(normalize(x), axis=-1), 1.0, rtol=1e-6)
