"""Resizing and CenterCrop (npkeras/layers/preprocessing/resizing.py); values against Keras-TensorFlow are in
test_keras_image_preprocessing_reference.py."""

import numpy as np
import pytest

import npkeras as keras
from npkeras.layers import CenterCrop, Resizing


def test_nearest_upsampling_repeats_pixels_and_one_image_keeps_rank_three():
    x = np.arange(4, dtype=np.float32).reshape(2, 2, 1)
    y = np.asarray(Resizing(4, 4, interpolation="nearest")(x))
    assert y.shape == (4, 4, 1)
    np.testing.assert_array_equal(y[..., 0], [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]])


def test_bilinear_downsampling_by_two_averages_blocks():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    y = np.asarray(Resizing(2, 2)(x))[0, ..., 0]
    np.testing.assert_allclose(y, [[2.5, 4.5], [10.5, 12.5]])


def test_integer_images_stay_integers_rounded_as_in_keras():
    x = np.array([[[[0], [255]], [[255], [100]]]], np.uint8)
    y = np.asarray(Resizing(3, 3)(x))
    assert y.dtype == np.uint8
    np.testing.assert_array_equal(y[0, ..., 0], [[0, 128, 255], [128, 152, 178], [255, 178, 100]])  # Keras-TF's
    assert np.asarray(Resizing(3, 3)(x.astype(np.int32))).dtype == np.int32
    assert np.asarray(Resizing(3, 3)(x.astype(np.float64))).dtype == np.float32


def test_crop_and_pad_to_aspect_ratio():
    x = np.arange(24, dtype=np.float32).reshape(1, 2, 12, 1)
    cropped = np.asarray(Resizing(2, 2, interpolation="nearest", crop_to_aspect_ratio=True)(x))
    np.testing.assert_array_equal(cropped[0, ..., 0], [[5, 6], [17, 18]])  # the central 2x2 block, unscaled
    padded = np.asarray(Resizing(12, 12, interpolation="nearest", pad_to_aspect_ratio=True, fill_value=-1)(x))
    assert padded.shape == (1, 12, 12, 1)
    np.testing.assert_array_equal(padded[0, :5, :, 0], -1)
    np.testing.assert_array_equal(padded[0, 5, :, 0], x[0, 0, :, 0])


def test_center_crop_takes_the_middle_and_resizes_up_when_too_small():
    x = np.arange(30, dtype=np.float32).reshape(1, 5, 6, 1)
    np.testing.assert_array_equal(np.asarray(CenterCrop(3, 2)(x))[0, ..., 0], [[8, 9], [14, 15], [20, 21]])
    assert CenterCrop(8, 4)(x).shape == (1, 8, 4, 1)


def test_output_shapes_and_in_a_model():
    assert Resizing(3, 4).compute_output_shape((None, 8, 8, 3)) == (None, 3, 4, 3)
    assert CenterCrop(2, 3, data_format="channels_first").compute_output_shape((None, 3, 8, 8)) == (None, 3, 2, 3)
    model = keras.Sequential([keras.Input((8, 8, 3)), Resizing(4, 4), CenterCrop(2, 2), keras.layers.Flatten()])
    assert model.output_shape == (None, 12)


def test_bad_arguments_get_clear_errors():
    with pytest.raises(ValueError, match="interpolation"):
        Resizing(2, 2, interpolation="lanczos3")
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio`"):
        Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="fill_mode"):
        Resizing(2, 2, fill_mode="reflect")
    with pytest.raises(ValueError, match="antialias"):
        Resizing(2, 2, antialias=True)
    with pytest.raises(ValueError, match="rank 3"):
        Resizing(2, 2)(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match="rank 3"):
        CenterCrop(2, 2)(np.zeros((1, 1, 2, 3, 1), np.float32))
