"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers: values, Keras's argument errors, weights, masks and configs."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_relu_general_form_by_hand():
    x = np.array([[-2.0, 0.2, 0.5, 1.0, 3.0]], dtype=np.float32)
    y = layers.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.5)(x)
    np.testing.assert_allclose(np.asarray(y), [[-0.25, -0.03, 0.5, 1.0, 2.0]], rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_value": -1.0}, "max_value of a ReLU layer cannot be a negative value"),
        ({"negative_slope": -0.1}, "negative_slope of a ReLU layer cannot be None or a negative value"),
        ({"threshold": None}, "threshold of a ReLU layer cannot be None"),
    ],
)
def test_relu_refuses_what_keras_refuses(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.ReLU(**kwargs)


def test_leaky_relu_default_slope_is_keras_3s_and_alpha_is_its_deprecated_name():
    x = np.array([[-1.0, 2.0]], dtype=np.float32)
    np.testing.assert_allclose(np.asarray(layers.LeakyReLU()(x)), [[-0.3, 2.0]], rtol=1e-6)
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = layers.LeakyReLU(alpha=0.1)
    assert layer.get_config()["negative_slope"] == 0.1 and "alpha" not in layer.get_config()
    with pytest.raises(ValueError, match="negative_slope value of a Leaky ReLU layer cannot be None or negative"):
        layers.LeakyReLU(negative_slope=-1)


def test_prelu_weight_shapes_follow_shared_axes_and_alpha_learns():
    assert layers.PReLU()(np.zeros((2, 3, 4, 5), np.float32)) is not None
    layer = layers.PReLU(shared_axes=[1, 2])
    layer.build((None, 3, 4, 5))
    assert layer.alpha.shape == (1, 1, 5) and layer.alpha.name == "alpha"
    assert np.all(layer.alpha.data == 0)  # "Zeros", Keras's default
    one = layers.PReLU(shared_axes=2, alpha_initializer="ones")
    one.build((None, 3, 4))
    assert one.alpha.shape == (3, 1) and np.all(one.alpha.data == 1)
    with pytest.raises(ValueError, match="its alpha has shape"):
        layer(np.zeros((2, 3, 4, 6), np.float32))
    model = npkeras.Sequential([layers.Input((4,)), layers.PReLU(alpha_initializer="ones")])
    model.compile(optimizer=npkeras.optimizers.SGD(1.0), loss="mse")
    model.fit(-np.ones((8, 4), np.float32), np.full((8, 4), -0.5, np.float32), epochs=20, verbose=0)
    np.testing.assert_allclose(model.layers[-1].alpha.data, 0.5, atol=1e-3)  # -alpha = -0.5 solves it


def test_elu_alpha():
    y = layers.ELU(alpha=0.5)(np.array([[-1.0, 2.0]], np.float32))
    np.testing.assert_allclose(np.asarray(y), [[0.5 * (np.exp(-1) - 1), 2.0]], rtol=1e-6)


def test_softmax_mask_gives_masked_entries_zero_probability_and_gradient():
    x = np.random.default_rng(0).standard_normal((2, 5)).astype(np.float32)
    mask = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], bool)
    t = npkeras.ops.convert_to_tensor(x)
    with npkeras.GradientTape() as tape:
        tape.watch(t)
        y = layers.Softmax()(t, mask=mask)
        loss = npkeras.ops.sum(y * np.arange(5, dtype=np.float32))
    expected = np.where(mask, softmax(np.where(mask, x, -np.inf)), 0)
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-6, atol=1e-7)
    assert np.all(np.asarray(tape.gradient(loss, t))[~mask] == 0)
    float_mask = layers.Softmax()(x, mask=mask.astype(np.float32))  # Keras reads a float mask as mask > 0.5
    np.testing.assert_allclose(np.asarray(float_mask), expected, rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="must be broadcastable to `inputs`"):
        layers.Softmax()(x, mask=np.ones((2, 4), bool))


def test_a_functional_model_passes_a_mask_input_to_softmax_and_softmax_passes_masks_on():
    scores_in = layers.Input((3, 4))
    mask_in = layers.Input((1, 4), dtype="bool")
    model = npkeras.Model([scores_in, mask_in], layers.Softmax()(scores_in, mask=mask_in))
    x = np.random.default_rng(2).standard_normal((2, 3, 4)).astype(np.float32)
    keep = np.array([[[1, 0, 1, 1]], [[0, 0, 1, 1]]], bool)
    y = model.predict([x, keep], verbose=0)
    np.testing.assert_allclose(y, np.where(keep, softmax(np.where(keep, x, -np.inf)), 0), rtol=1e-5, atol=1e-7)
    previous = np.array([[True, False, True]])
    assert layers.Softmax().compute_mask(x, previous) is previous


def test_softmax_over_several_axes_sums_to_one_over_them():
    x = np.random.default_rng(1).standard_normal((2, 3, 4)).astype(np.float32)
    y = np.asarray(layers.Softmax(axis=[1, 2])(x))
    np.testing.assert_allclose(y.sum(axis=(1, 2)), 1.0, rtol=1e-6)


@pytest.mark.parametrize(
    "layer",
    [
        layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.2),
        layers.LeakyReLU(negative_slope=0.05),
        layers.PReLU(alpha_initializer="ones", alpha_regularizer="l2", shared_axes=[1]),
        layers.ELU(alpha=0.4),
        layers.Softmax(axis=[1, 2]),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_config_round_trips(layer):
    config = layers.serialize(layer)
    again = layers.deserialize(config)
    assert type(again) is type(layer)
    assert layers.serialize(again) == config
