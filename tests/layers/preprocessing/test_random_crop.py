"""RandomCrop (npkeras/layers/preprocessing/random_crop.py): the training window, the inference window,
small images, seeding, gradients and config."""

import numpy as np
import pytest

import npkeras as keras
from npkeras.layers import RandomCrop


def _images(n=3, size=5):
    return np.arange(n * size * size * 2, dtype=np.float32).reshape(n, size, size, 2)


def _window(x, out):
    """The (top, left) where `out` sits in every image of `x`, or None."""
    h, w = out.shape[1:3]
    for top in range(x.shape[1] - h + 1):
        for left in range(x.shape[2] - w + 1):
            if np.array_equal(x[:, top : top + h, left : left + w], out):
                return top, left
    return None


def test_training_crops_one_random_window_for_the_whole_batch_and_reaches_every_place():
    x = _images()
    layer = RandomCrop(3, 2, seed=0)
    places = set()
    for _ in range(200):
        out = np.asarray(layer(x, training=True))
        assert out.shape == (3, 3, 2, 2) and out.dtype == np.float32
        place = _window(x, out)
        assert place is not None  # the same window in every image
        places.add(place)
    assert places == {(top, left) for top in range(3) for left in range(4)}


def test_inference_returns_the_central_window_of_the_target_aspect_resized():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    # a square target: the whole image, bilinear 4 -> 2 averages pixel pairs
    np.testing.assert_allclose(np.asarray(RandomCrop(2, 2)(x, training=False))[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])
    # a 2x4 target: rows 1:3 of the 4x4 image, unchanged
    np.testing.assert_array_equal(np.asarray(RandomCrop(2, 4)(x, training=False)), x[:, 1:3])
    model = keras.Sequential([keras.Input((4, 4, 1)), RandomCrop(2, 4, seed=0)])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x[:, 1:3])  # predict never crops at random


def test_images_not_larger_than_the_window_are_resized_in_training_too():
    x = np.ones((2, 3, 6, 1), np.float32)
    out = np.asarray(RandomCrop(4, 4, seed=0)(x, training=True))
    np.testing.assert_array_equal(out, np.ones((2, 4, 4, 1)))
    assert RandomCrop(2, 3)(np.zeros((5, 5, 1), np.float32)).shape == (2, 3, 1)  # one image keeps rank three


def test_a_seed_reproduces_and_channels_first_crops_the_last_two_axes():
    x = _images(size=8)
    a = np.asarray(RandomCrop(3, 3, seed=5)(x, training=True))
    np.testing.assert_array_equal(np.asarray(RandomCrop(3, 3, seed=5)(x, training=True)), a)
    first = np.moveaxis(x, -1, 1)
    out = RandomCrop(3, 4, seed=1, data_format="channels_first")(first, training=True)
    assert out.shape == (3, 2, 3, 4)


def test_gradients_flow_through_the_crop_to_the_window_only():
    x = keras.ops.convert_to_tensor(np.ones((1, 5, 5, 1), np.float32))
    layer = RandomCrop(2, 2, seed=3)
    with keras.GradientTape() as tape:
        tape.watch(x)
        loss = keras.ops.sum(layer(x, training=True))
    grad = np.asarray(tape.gradient(loss, x))
    assert grad.sum() == 4.0 and _window(grad, np.ones((1, 2, 2, 1), np.float32)) is not None


def test_shapes_errors_and_config():
    layer = RandomCrop(3, 4, seed=2)
    assert layer.compute_output_shape((None, 10, 12, 3)) == (None, 3, 4, 3)
    inputs = keras.Input((10, 12, 3))
    assert keras.Model(inputs, layer(inputs)).output_shape == (None, 3, 4, 3)
    with pytest.raises(ValueError, match="rank 3"):
        layer(np.zeros((2, 3), np.float32))
    config = keras.layers.serialize(layer)
    assert {k: config["config"][k] for k in ("height", "width", "seed", "data_format")} == {
        "height": 3,
        "width": 4,
        "seed": 2,
        "data_format": "channels_last",
    }
    clone = keras.layers.deserialize(config)
    x = _images(size=12)
    np.testing.assert_array_equal(np.asarray(clone(x, training=True)), np.asarray(RandomCrop(3, 4, seed=2)(x)))
