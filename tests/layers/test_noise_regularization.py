"""GaussianNoise, GaussianDropout, AlphaDropout and ActivityRegularization (npkeras/layers/regularization.py):
the identity in inference, Keras's statistics in training, seeding from npkeras's streams, errors and configs."""

import numpy as np
import pytest

import npkeras
from npkeras import layers

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


@pytest.mark.parametrize(
    "layer",
    [layers.GaussianNoise(0.5), layers.GaussianDropout(0.4), layers.AlphaDropout(0.3), layers.ActivityRegularization()],
    ids=lambda layer: type(layer).__name__,
)
def test_identical_in_inference(layer):
    x = np.random.default_rng(0).standard_normal((4, 6)).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)  # training defaults to False


def test_gaussian_noise_in_training_adds_zero_mean_noise_of_the_given_stddev():
    x = np.full((500, 400), 3.0, dtype=np.float32)
    noise = np.asarray(layers.GaussianNoise(0.2)(x, training=True)) - x
    assert abs(noise.mean()) < 0.002 and abs(noise.std() - 0.2) < 0.002


def test_gaussian_dropout_in_training_multiplies_by_mean_one_noise_of_variance_rate_over_keep():
    x = np.full((500, 400), 2.0, dtype=np.float32)
    factor = np.asarray(layers.GaussianDropout(0.3)(x, training=True)) / x
    assert abs(factor.mean() - 1.0) < 0.003
    assert abs(factor.var() - 0.3 / 0.7) < 0.005


def test_alpha_dropout_in_training_drops_the_rate_to_selus_saturation_and_keeps_mean_and_variance():
    rate = 0.2
    x = np.random.default_rng(1).standard_normal((500, 400)).astype(np.float32)
    y = np.asarray(layers.AlphaDropout(rate)(x, training=True))
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5  # hand-derived: Var[y] = 1 for x of variance 1
    b = -a * alpha_p * rate  # and E[y] = 0
    dropped = np.isclose(y, a * alpha_p + b, atol=1e-6)
    assert abs(dropped.mean() - rate) < 0.004
    np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-6)
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1.0) < 0.01


def test_alpha_dropout_noise_shape_shares_one_draw_along_its_size_one_axes():
    rate = 0.5
    x = np.random.default_rng(2).standard_normal((8, 5, 6)).astype(np.float32)
    y = np.asarray(layers.AlphaDropout(rate, noise_shape=(None, 1, 6))(x, training=True))
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    dropped = np.isclose(y, a * alpha_p - a * alpha_p * rate, atol=1e-6)
    assert (dropped == dropped[:, :1, :]).all() and 0 < dropped.mean() < 1


def test_seeded_layers_repeat_their_draws_and_unseeded_ones_follow_set_random_seed():
    x = np.ones((3, 4), np.float32)
    first = np.asarray(layers.GaussianNoise(0.5, seed=7)(x, training=True))
    again = np.asarray(layers.GaussianNoise(0.5, seed=7)(x, training=True))
    np.testing.assert_array_equal(first, again)
    npkeras.utils.set_random_seed(3)
    a = np.asarray(layers.GaussianDropout(0.5)(x, training=True))
    npkeras.utils.set_random_seed(3)
    b = np.asarray(layers.GaussianDropout(0.5)(x, training=True))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, np.asarray(layers.GaussianDropout(0.5)(x, training=True)))


def test_noise_layers_train_inside_fit_and_pass_gradients():
    model = npkeras.Sequential(
        [layers.Input((4,)), layers.GaussianNoise(0.1), layers.Dense(4), layers.AlphaDropout(0.1),
         layers.GaussianDropout(0.1), layers.Dense(1)]
    )  # fmt: skip
    model.compile(optimizer=npkeras.optimizers.Adam(0.05), loss="mse")
    x = np.random.default_rng(3).standard_normal((64, 4)).astype(np.float32)
    history = model.fit(x, x.sum(axis=1, keepdims=True), epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] * 0.5


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: layers.GaussianNoise(1.5), "`stddev`. Expected a float value between 0 and 1. Received: stddev=1.5"),
        (lambda: layers.GaussianDropout(-0.1), "`rate`. Expected a float value between 0 and 1. Received: rate=-0.1"),
        (lambda: layers.AlphaDropout(2), "`rate`. Expected a float value between 0 and 1. Received: rate=2"),
        (lambda: layers.ActivityRegularization(l1=-1), "`l1` should be a non-negative float"),
    ],
)
def test_bad_arguments_get_keras_errors(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_activity_regularization_adds_l1_l2_over_the_batch_size_to_losses():
    x = np.array([[1.0, -2.0], [3.0, 0.5]], np.float32)
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    expected = (0.1 * np.abs(x).sum() + 0.2 * np.square(x).sum()) / 2
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(np.asarray(layer.losses[0])), expected, rtol=1e-6)
    layer(x)
    assert len(layer.losses) == 1  # a fresh call replaces the previous call's loss


def test_activity_regularization_loss_trains_the_activations_towards_zero():
    model = npkeras.Sequential([layers.Input((3,)), layers.Dense(3), layers.ActivityRegularization(l2=1.0)])
    model.compile(optimizer=npkeras.optimizers.SGD(0.1), loss="mse")
    x = np.random.default_rng(4).standard_normal((32, 3)).astype(np.float32)
    before = float(np.abs(model.predict(x, verbose=0)).mean())
    model.fit(x, np.zeros((32, 3), np.float32), epochs=5, verbose=0)
    assert float(np.abs(model.predict(x, verbose=0)).mean()) < before * 0.5


@pytest.mark.parametrize(
    "layer",
    [
        layers.GaussianNoise(0.3, seed=2),
        layers.GaussianDropout(0.4),
        layers.AlphaDropout(0.2, noise_shape=[None, 1, 3], seed=1),
        layers.ActivityRegularization(l1=0.01, l2=0.5),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_config_round_trips(layer):
    config = layers.serialize(layer)
    again = layers.deserialize(config)
    assert type(again) is type(layer) and layers.serialize(again) == config
    assert "activity_regularizer" not in config["config"]
