"""Cropping1D and Cropping2D: crops by hand, shapes, gradients to the kept entries, errors, configs."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def test_cropping1d_drops_steps_at_both_ends():
    x = np.arange(12, dtype=np.float32).reshape(1, 6, 2)
    np.testing.assert_array_equal(np.asarray(layers.Cropping1D((2, 1))(x)), x[:, 2:5])
    np.testing.assert_array_equal(np.asarray(layers.Cropping1D((1, 0))(x)), x[:, 1:])
    assert layers.Cropping1D(2).cropping == (2, 2)
    assert layers.Cropping1D().compute_output_shape((None, None, 3)) == (None, None, 3)


def test_cropping2d_forms_and_data_formats():
    x = np.arange(2 * 5 * 6 * 3, dtype=np.float32).reshape(2, 5, 6, 3)
    np.testing.assert_array_equal(np.asarray(layers.Cropping2D(((1, 0), (2, 1)))(x)), x[:, 1:, 2:5])
    np.testing.assert_array_equal(np.asarray(layers.Cropping2D(1)(x)), x[:, 1:4, 1:5])
    assert layers.Cropping2D((1, 2)).cropping == ((1, 1), (2, 2))
    first = np.moveaxis(x, -1, 1)
    y = np.asarray(layers.Cropping2D((1, 2), data_format="channels_first")(first))
    np.testing.assert_array_equal(y, first[:, :, 1:4, 2:4])


def test_cropping_gradient_reaches_only_the_kept_entries():
    x = npkeras.ops.convert_to_tensor(np.ones((1, 4, 4, 1), np.float32))
    with npkeras.GradientTape() as tape:
        tape.watch(x)
        loss = npkeras.ops.sum(layers.Cropping2D(((1, 0), (0, 2)))(x))
    expected = np.zeros((1, 4, 4, 1), np.float32)
    expected[:, 1:, :2] = 1
    np.testing.assert_array_equal(np.asarray(tape.gradient(loss, x)), expected)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: layers.Cropping2D(-1), "`cropping` cannot be negative"),
        (lambda: layers.Cropping2D((1, 2, 3)), "`cropping` should have two elements"),
        (lambda: layers.Cropping2D("a"), "`cropping` should be either an int"),
        (lambda: layers.Cropping2D(((1, -1), 0)), "1st entry of cropping"),
        (lambda: layers.Cropping1D((1, 2, 3)), "`cropping` argument must be a tuple of 2 integers"),
    ],
)
def test_bad_cropping(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_cropping_everything_is_refused_as_keras_does():
    with pytest.raises(ValueError, match="must be smaller than the input length"):
        layers.Cropping1D((2, 2))(np.zeros((1, 4, 1), np.float32))
    with pytest.raises(ValueError, match="should be smaller than the corresponding spatial dimension"):
        layers.Cropping2D(((0, 0), (3, 3)))(np.zeros((1, 4, 6, 1), np.float32))
    with pytest.raises(ValueError, match="should be smaller than the corresponding spatial dimension"):
        layers.Cropping2D(2).compute_output_shape((None, 4, 8, 1))


@pytest.mark.parametrize("layer", [layers.Cropping1D((0, 3)), layers.Cropping2D(((1, 0), (2, 1)), "channels_first")])
def test_config_round_trips(layer):
    config = layers.serialize(layer)
    assert layers.serialize(layers.deserialize(config)) == config
