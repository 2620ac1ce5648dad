"""UnitNormalization and GroupNormalization layers: values by hand, weights, Keras's errors and configs."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def test_unit_normalization_gives_unit_norms():
    x = np.random.default_rng(0).standard_normal((3, 4, 5)).astype(np.float32)
    y = np.asarray(layers.UnitNormalization()(x))
    np.testing.assert_allclose(np.linalg.norm(y, axis=-1), 1.0, rtol=1e-5)
    y = np.asarray(layers.UnitNormalization(axis=(1, 2))(x))
    np.testing.assert_allclose(np.sqrt((y * y).sum(axis=(1, 2))), 1.0, rtol=1e-5)
    assert layers.UnitNormalization(axis=(1, 2)).axis == [1, 2]
    np.testing.assert_array_equal(np.asarray(layers.UnitNormalization()(np.zeros((1, 3), np.float32))), 0)


def test_unit_normalization_errors():
    with pytest.raises(TypeError, match="expected an int or a list/tuple of ints"):
        layers.UnitNormalization(axis="last")
    with pytest.raises(ValueError, match="Axis 3 is out of bounds for input shape"):
        layers.UnitNormalization(axis=3)(np.ones((2, 3), np.float32))


def test_group_normalization_normalizes_each_group_of_each_sample():
    x = np.random.default_rng(1).standard_normal((2, 5, 6)).astype(np.float32) * 4 + 2
    layer = layers.GroupNormalization(groups=3, epsilon=1e-5)
    y = np.asarray(layer(x)).reshape(2, 5, 3, 2)
    np.testing.assert_allclose(y.mean(axis=(1, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(1, 3)), 1, rtol=1e-3)
    assert [w.name for w in layer.weights] == ["gamma", "beta"] and layer.gamma.shape == (6,)
    instance = layers.GroupNormalization(groups=-1, center=False)
    instance(x)
    assert instance.groups == 6 and [w.name for w in instance.weights] == ["gamma"]


def test_group_normalization_trains():
    model = npkeras.Sequential([layers.Input((4, 6)), layers.GroupNormalization(2), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer=npkeras.optimizers.Adam(0.05), loss="mse")
    x = np.random.default_rng(2).standard_normal((32, 4, 6)).astype(np.float32)
    history = model.fit(x, x[:, 0, :1] * 2, epochs=20, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] * 0.5


@pytest.mark.parametrize(
    "groups, shape, message",
    [
        (0, None, "expected a positive integer \\(or `-1` for instance normalization\\). Received: groups=0"),
        (8, (None, 3, 6), "Number of groups \\(8\\) cannot be more than the number of channels \\(6\\)"),
        (4, (None, 3, 6), "Number of groups \\(4\\) must be a multiple of the number of channels \\(6\\)"),
    ],
)
def test_group_normalization_errors(groups, shape, message):
    with pytest.raises(ValueError, match=message):
        layers.GroupNormalization(groups=groups).build(shape)


@pytest.mark.parametrize(
    "layer",
    [
        layers.UnitNormalization(axis=[1, 2]),
        layers.GroupNormalization(groups=4, axis=1, epsilon=1e-5, center=False, gamma_regularizer="l2"),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_config_round_trips(layer):
    config = layers.serialize(layer)
    again = layers.deserialize(config)
    assert type(again) is type(layer) and layers.serialize(again) == config
