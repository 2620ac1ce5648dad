"""UpSampling1D and UpSampling2D: nearest repeats, bilinear against hand-computed values, shapes, errors, configs."""

import numpy as np
import pytest

from npkeras import layers


def test_upsampling1d_repeats_each_step():
    x = np.arange(6, dtype=np.float32).reshape(1, 3, 2)
    np.testing.assert_array_equal(np.asarray(layers.UpSampling1D(2)(x)), np.repeat(x, 2, axis=1))
    assert layers.UpSampling1D(3).compute_output_shape((None, None, 2)) == (None, None, 2)
    assert layers.UpSampling1D(3).compute_output_shape((None, 4, 2)) == (None, 12, 2)


def test_upsampling2d_nearest_in_both_data_formats():
    x = np.arange(12, dtype=np.float32).reshape(1, 2, 3, 2)
    y = np.asarray(layers.UpSampling2D((2, 3))(x))
    np.testing.assert_array_equal(y, np.repeat(np.repeat(x, 2, axis=1), 3, axis=2))
    first = np.moveaxis(x, -1, 1)
    y_first = np.asarray(layers.UpSampling2D((2, 3), data_format="channels_first")(first))
    np.testing.assert_array_equal(y_first, np.moveaxis(y, -1, 1))
    assert layers.UpSampling2D(2, data_format="channels_first").compute_output_shape((None, 3, 4, 5)) == (
        None, 3, 8, 10,
    )  # fmt: skip


def test_upsampling2d_bilinear_by_hand():
    # one row [0, 4] doubled with half-pixel centres: samples at -0.25, 0.25, 0.75, 1.25 -> 0, 1, 3, 4
    x = np.array([0.0, 4.0], np.float32).reshape(1, 1, 2, 1)
    y = np.asarray(layers.UpSampling2D((1, 2), interpolation="bilinear")(x))
    np.testing.assert_allclose(y.reshape(-1), [0.0, 1.0, 3.0, 4.0])
    assert layers.UpSampling2D(interpolation="BILINEAR").interpolation == "bilinear"


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: layers.UpSampling1D(1.5), TypeError, "Expected an integer value for `size`"),
        (lambda: layers.UpSampling1D(0), ValueError, "Argument `size` should be a positive integer"),
        (lambda: layers.UpSampling2D((2, 0)), ValueError, "`size` argument must be positive"),
        (lambda: layers.UpSampling2D((2, 2, 2)), ValueError, "`size` argument must be a tuple of 2 integers"),
        (lambda: layers.UpSampling2D(interpolation="bicubic"), ValueError, "interpolation"),
    ],
)
def test_bad_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match='layer "up_sampling2d.*expected ndim=4, found ndim=3'):
        layers.UpSampling2D()(np.zeros((1, 2, 3), np.float32))


@pytest.mark.parametrize(
    "layer", [layers.UpSampling1D(3), layers.UpSampling2D((2, 3), "channels_first", "bilinear")], ids=str
)
def test_config_round_trips(layer):
    config = layers.serialize(layer)
    assert layers.serialize(layers.deserialize(config)) == config
