"""npkeras.ops.image: the Resize op (gradient-checked), its interpolation matrices, and affine_transform."""

import numpy as np
import pytest

from npkeras.autograd.gradient_check import gradient_check
from npkeras.ops import image


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize(("size", "data_format"), [((5, 3), "channels_last"), ((2, 7), "channels_first")])
def test_resize_gradients(interpolation, size, data_format):
    x = np.random.default_rng(0).standard_normal((2, 4, 6, 3))
    gradient_check(lambda t: image.resize(t, size, interpolation, data_format=data_format), x)


def test_resize_matrix_rows_sum_to_one_and_identity_at_the_same_size():
    for interpolation in image.RESIZE_INTERPOLATIONS:
        np.testing.assert_allclose(image.resize_matrix(5, 5, interpolation), np.eye(5), atol=1e-12)
        np.testing.assert_allclose(image.resize_matrix(4, 9, interpolation).sum(axis=1), 1.0)


def test_bilinear_doubling_is_tensorflows_half_pixel_interpolation():
    # out i samples in (i + 0.5) / 2 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1 on the right)
    np.testing.assert_allclose(
        image.resize_matrix(2, 4, "bilinear"), [[1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]], atol=1e-7
    )
    np.testing.assert_array_equal(image.resize_matrix(4, 2, "nearest"), [[0, 1, 0, 0], [0, 0, 0, 1]])


def test_resize_rejects_an_unknown_interpolation():
    with pytest.raises(ValueError, match="interpolation=area"):
        image.resize(np.zeros((1, 2, 2, 1)), (3, 3), "area")


def _images():
    return np.random.default_rng(1).standard_normal((3, 5, 6, 2)).astype(np.float32)


def test_identity_transform_returns_the_images():
    x = _images()
    out = image.affine_transform(x, [1, 0, 0, 0, 1, 0, 0, 0])
    np.testing.assert_array_equal(np.asarray(out), x)


_ROTATE = [0.9, -0.3, 1.1, 0.35, 0.95, -0.6, 0.0, 0.0]  # a rotation-like map with a shift: fractional samples
_PROJECT = [1.1, 0.2, -0.5, -0.1, 0.9, 0.7, 0.02, -0.03]


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["constant", "reflect", "wrap", "nearest"])
def test_affine_transform_gradients(interpolation, fill_mode):
    x = np.random.default_rng(2).standard_normal((2, 5, 6, 2))
    transforms = np.array([_ROTATE, _PROJECT])
    gradient_check(lambda t: image.affine_transform(t, transforms, interpolation, fill_mode, fill_value=0.7), x)


def test_affine_transform_gradients_channels_first():
    x = np.random.default_rng(3).standard_normal((2, 3, 5, 4))
    gradient_check(lambda t: image.affine_transform(t, _ROTATE, data_format="channels_first"), x)
    channels_last = image.affine_transform(np.moveaxis(x, 1, -1), _ROTATE)
    first = image.affine_transform(x, _ROTATE, data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(np.asarray(first), 1, -1), np.asarray(channels_last))


def test_flip_images_and_its_gradient():
    x = np.random.default_rng(4).standard_normal((3, 2, 4, 1))
    y = np.asarray(image.flip_images(x, [True, False, True], (2,)))
    np.testing.assert_array_equal(y[0], x[0, :, ::-1])
    np.testing.assert_array_equal(y[1], x[1])
    gradient_check(lambda t: image.flip_images(t, [True, False, True], (1, 2)), x)


def test_integer_shift_with_constant_fill_and_one_transform_per_image():
    x = _images()
    shifts = np.array([[1, 0, -2, 0, 1, 0, 0, 0], [1, 0, 0, 0, 1, 1, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0]], np.float32)
    out = np.asarray(image.affine_transform(x, shifts, "bilinear", "constant", fill_value=7.0))
    np.testing.assert_array_equal(out[0, :, 2:], x[0, :, :-2])  # output x samples input x - 2
    np.testing.assert_array_equal(out[0, :, :2], 7.0)
    np.testing.assert_array_equal(out[1, :-1], x[1, 1:])  # output y samples input y + 1
    np.testing.assert_array_equal(out[1, -1], 7.0)
    np.testing.assert_array_equal(out[2], x[2])


@pytest.mark.parametrize(
    ("fill_mode", "expected"),
    [
        ("reflect", [1, 0, 0, 1, 2, 3]),  # (b a | a b c d ...)
        ("wrap", [4, 5, 0, 1, 2, 3]),  # (... e f | a b c d ...)
        ("nearest", [0, 0, 0, 1, 2, 3]),
        ("constant", [0, 0, 0, 1, 2, 3]),  # fill_value 0
    ],
)
def test_fill_modes_outside_the_image(fill_mode, expected):
    x = np.arange(6, dtype=np.float32).reshape(1, 1, 6, 1)
    out = np.asarray(image.affine_transform(x, [1, 0, -2, 0, 1, 0, 0, 0], "nearest", fill_mode))
    np.testing.assert_array_equal(out[0, 0, :, 0], expected)


def test_bilinear_half_pixel_shift_averages_neighbours():
    x = np.arange(5, dtype=np.float32).reshape(1, 1, 5, 1)
    out = np.asarray(image.affine_transform(x, [1, 0, 0.5, 0, 1, 0, 0, 0], "bilinear", "nearest"))
    np.testing.assert_allclose(out[0, 0, :, 0], [0.5, 1.5, 2.5, 3.5, 4.0])


def test_affine_transform_rejects_bad_arguments():
    with pytest.raises(ValueError, match="fill_mode=mirror"):
        image.affine_transform(_images(), [1, 0, 0, 0, 1, 0, 0, 0], fill_mode="mirror")
    with pytest.raises(ValueError, match="interpolation=bicubic"):
        image.affine_transform(_images(), [1, 0, 0, 0, 1, 0, 0, 0], interpolation="bicubic")
