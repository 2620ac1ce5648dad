"""RandomFlip, RandomRotation, RandomTranslation, RandomZoom (npkeras/layers/preprocessing/random_affine.py):
when they augment, seeding, batch-wise draws, gradients, errors and configs. Pinned transforms against
Keras-TensorFlow are in test_keras_image_preprocessing_reference.py."""

import numpy as np
import pytest

import npkeras as keras
from npkeras.layers import RandomFlip, RandomRotation, RandomTranslation, RandomZoom

LAYERS = [
    lambda seed: RandomFlip(seed=seed),
    lambda seed: RandomRotation(0.3, seed=seed),
    lambda seed: RandomTranslation(0.3, (-0.2, 0.4), seed=seed),
    lambda seed: RandomZoom((-0.5, 0.5), seed=seed),
]


def _images(n=8):
    return np.random.default_rng(0).standard_normal((n, 6, 6, 2)).astype(np.float32)


@pytest.mark.parametrize("make", LAYERS)
def test_inference_is_identity_and_training_augments_each_image_differently(make):
    x = _images()
    layer = make(1)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    y = np.asarray(layer(x, training=True))
    assert y.shape == x.shape and y.dtype == np.float32
    changed = [not np.allclose(y[i], x[i]) for i in range(len(x))]
    assert any(changed)
    if not isinstance(layer, RandomFlip):  # continuous draws: every image gets its own transform
        assert all(changed) and not np.allclose(y[0] - x[0], y[1] - x[1])


@pytest.mark.parametrize("make", LAYERS)
def test_a_seed_reproduces_and_successive_calls_differ(make):
    x = _images()
    first, second = make(7), make(7)
    a, b = np.asarray(first(x, training=True)), np.asarray(second(x, training=True))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(np.asarray(first(x, training=True)), a)


@pytest.mark.parametrize("make", LAYERS)
def test_unseeded_layers_draw_from_npkeras_random_stream(make):
    x = _images()
    keras.utils.set_random_seed(3)
    a = np.asarray(make(None)(x, training=True))
    keras.utils.set_random_seed(3)
    np.testing.assert_array_equal(np.asarray(make(None)(x, training=True)), a)


def test_direct_calls_augment_as_in_keras_but_predict_never_does():
    x = _images()
    layer = RandomRotation(0.2, seed=0)
    assert not np.allclose(np.asarray(layer(x)), x)  # Keras's call default: training=True
    model = keras.Sequential([keras.Input((6, 6, 2)), RandomFlip(seed=0), RandomRotation(0.2, seed=0)])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)


def test_flip_modes_and_probability_one_half():
    x = np.arange(12, dtype=np.float32).reshape(1, 3, 4, 1)
    batch = np.repeat(x, 400, axis=0)
    y = np.asarray(RandomFlip("horizontal", seed=0)(batch, training=True))
    flipped = np.all(y == x[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(flipped | np.all(y == x, axis=(1, 2, 3)))
    assert 150 < flipped.sum() < 250
    both = np.asarray(RandomFlip(seed=1)(batch, training=True))
    assert np.all(np.all(both == x[:, ::-1, ::-1], axis=(1, 2, 3)) | np.all(both == x, axis=(1, 2, 3)))


def test_one_image_keeps_rank_three_and_channels_first_works():
    image = np.random.default_rng(1).standard_normal((5, 5, 3)).astype(np.float32)
    y = RandomRotation((0.25, 0.25))(image, training=True)
    np.testing.assert_allclose(np.asarray(y), np.rot90(image, k=1, axes=(0, 1)), atol=1e-5)
    first = np.moveaxis(image, -1, 0)[None]
    z = RandomRotation((0.25, 0.25), data_format="channels_first")(first, training=True)
    np.testing.assert_allclose(np.moveaxis(np.asarray(z)[0], 0, -1), np.asarray(y), atol=1e-5)


def test_integer_translation_shifts_and_reflects():
    x = np.arange(8, dtype=np.float32).reshape(1, 1, 8, 1)
    y = np.asarray(RandomTranslation(0.0, (0.25, 0.25))(x, training=True))  # 2 pixels right, reflected fill
    np.testing.assert_allclose(y[0, 0, :, 0], [1, 0, 0, 1, 2, 3, 4, 5], atol=1e-5)


def test_zoom_out_by_two_with_constant_fill_samples_every_other_pixel():
    x = np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)
    layer = RandomZoom((1.0, 1.0), fill_mode="constant", interpolation="nearest")
    y = np.asarray(layer(x, training=True))[0, ..., 0]
    np.testing.assert_array_equal(y[1:4, 1:4], x[0, ::2, ::2, 0])
    np.testing.assert_array_equal(y[0], 0)


def test_gradients_flow_through_augmentation_to_the_layer_below():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(36), keras.layers.Reshape((6, 6, 1))])
    model.add(RandomRotation(0.2, seed=0))
    model.add(keras.layers.Flatten())
    x = keras.ops.convert_to_tensor(np.ones((2, 4), np.float32))
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(model(x, training=True) ** 2)
    grads = tape.gradient(loss, model.trainable_weights)
    assert all(g is not None and np.abs(np.asarray(g)).sum() > 0 for g in grads)


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="`mode` must be one of"):
        RandomFlip("diagonal")
    with pytest.raises(ValueError, match=r"in the range \[-1, 1\]"):
        RandomRotation(1.5)
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode` mirror"):
        RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(NotImplementedError, match="Unknown `interpolation` bicubic"):
        RandomTranslation(0.1, 0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match=r"in the range \[-1.0, 1.0\]"):
        RandomTranslation(0.1, 1.2)
    with pytest.raises(ValueError, match=r"in the range \(-1.0, 1.0\]"):
        RandomZoom(-1.0)
    with pytest.raises(ValueError, match="rank 3"):
        RandomFlip()(np.zeros((2, 3), np.float32), training=True)


@pytest.mark.parametrize("make", LAYERS)
def test_config_round_trip(make):
    layer = make(4)
    config = keras.layers.serialize(layer)
    clone = keras.layers.deserialize(config)
    assert type(clone) is type(layer) and keras.layers.serialize(clone)["config"] == config["config"]
    x = _images()
    np.testing.assert_array_equal(np.asarray(clone(x, training=True)), np.asarray(make(4)(x, training=True)))
