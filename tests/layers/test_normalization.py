"""BatchNormalization: weights, batch vs moving statistics, trainable=False, fit/predict, config, errors."""

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY

import npkeras
from npkeras import layers
from npkeras.autograd import gradient_check


def _init(name):
    return {"module": "keras.initializers", "class_name": name, "config": {}, "registered_name": None}


# Keras 3.15 `keras.layers.BatchNormalization(name="bn").get_config()`, printed by the reference env.
KERAS_DEFAULT_CONFIG = {
    "name": "bn",
    "trainable": True,
    "dtype": FLOAT32_POLICY,
    "axis": -1,
    "momentum": 0.99,
    "epsilon": 0.001,
    "center": True,
    "scale": True,
    "beta_initializer": _init("Zeros"),
    "gamma_initializer": _init("Ones"),
    "moving_mean_initializer": _init("Zeros"),
    "moving_variance_initializer": _init("Ones"),
    "beta_regularizer": None,
    "gamma_regularizer": None,
    "beta_constraint": None,
    "gamma_constraint": None,
    "synchronized": False,
    "renorm": False,
    "renorm_clipping": None,
    "renorm_momentum": 0.99,
}

# column 0: [1, 3] -> batch mean 2, biased variance 1; column 1: [0, 8] -> mean 4, variance 16
X = np.array([[1.0, 0.0], [3.0, 8.0]], dtype=np.float32)
BATCH_MEAN = np.array([2.0, 4.0])
BATCH_VAR = np.array([1.0, 16.0])


def _values(variable):
    return np.array(variable, copy=True)  # variables update in place; take a snapshot


def _formula(x, mean, variance, gamma=1.0, beta=0.0, epsilon=1e-3):
    mean, variance, gamma, beta = (np.asarray(v, dtype=np.float64) for v in (mean, variance, gamma, beta))
    return (x - mean) / np.sqrt(variance + epsilon) * gamma + beta


# ---- weights ----------------------------------------------------------------------------


def test_weights_order_names_and_initial_values():
    layer = layers.BatchNormalization()
    layer.build((None, 3))
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [tuple(w.shape) for w in layer.weights] == [(3,)] * 4
    gamma, beta, moving_mean, moving_variance = layer.get_weights()
    np.testing.assert_array_equal(gamma, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(beta, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(moving_mean, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(moving_variance, [1.0, 1.0, 1.0])
    assert all(w.dtype == np.float32 for w in layer.get_weights())


def test_trainable_and_non_trainable_weights_and_param_count():
    layer = layers.BatchNormalization()
    layer.build((None, 4, 4, 5))
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert layer.count_params() == 4 * 5  # Keras counts the moving statistics too


def test_param_count_inside_a_model_matches_keras():
    model = npkeras.Sequential([npkeras.Input((6,)), layers.Dense(4), layers.BatchNormalization()])
    assert model.count_params() == 6 * 4 + 4 + 4 * 4
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == 6 * 4 + 4 + 2 * 4
    assert sum(int(np.prod(w.shape)) for w in model.non_trainable_weights) == 2 * 4


@pytest.mark.parametrize(
    "center, scale, names",
    [
        (False, True, ["gamma", "moving_mean", "moving_variance"]),
        (True, False, ["beta", "moving_mean", "moving_variance"]),
        (False, False, ["moving_mean", "moving_variance"]),
    ],
)
def test_center_and_scale_false_drop_beta_and_gamma(center, scale, names):
    layer = layers.BatchNormalization(center=center, scale=scale, beta_initializer="ones", gamma_initializer="zeros")
    out = np.asarray(layer(X, training=True))
    assert [w.name for w in layer.weights] == names
    assert layer.count_params() == 2 * len(names)
    assert len(layer.trainable_weights) == len(names) - 2
    gamma = 0.0 if scale else 1.0  # gamma_initializer="zeros" only counts when the layer scales
    beta = 1.0 if center else 0.0
    np.testing.assert_allclose(out, _formula(X, BATCH_MEAN, BATCH_VAR, gamma, beta), rtol=1e-6, atol=1e-6)


# ---- training and inference -------------------------------------------------------------


def test_training_true_normalizes_by_batch_statistics():
    layer = layers.BatchNormalization()
    out = np.asarray(layer(X, training=True))
    assert out.dtype == np.float32
    expected = np.array([[-1 / np.sqrt(1.001), -4 / np.sqrt(16.001)], [1 / np.sqrt(1.001), 4 / np.sqrt(16.001)]])
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_training_moves_moving_statistics_by_momentum():
    layer = layers.BatchNormalization(momentum=0.9)
    layer(X, training=True)
    # moving = moving * 0.9 + batch * 0.1, from mean 0 and variance 1
    np.testing.assert_allclose(_values(layer.moving_mean), [0.2, 0.4], rtol=1e-6)
    np.testing.assert_allclose(_values(layer.moving_variance), [1.0, 2.5], rtol=1e-6)
    layer(X, training=True)
    np.testing.assert_allclose(_values(layer.moving_mean), [0.38, 0.76], rtol=1e-6)
    np.testing.assert_allclose(_values(layer.moving_variance), [1.0, 3.85], rtol=1e-6)
    # the trainable weights are left alone by the forward pass
    np.testing.assert_array_equal(_values(layer.gamma), [1.0, 1.0])
    np.testing.assert_array_equal(_values(layer.beta), [0.0, 0.0])


def test_training_false_uses_moving_statistics_and_keeps_them():
    layer = layers.BatchNormalization(epsilon=0.01)
    layer.build((None, 2))
    layer.gamma.assign(np.array([2.0, 0.5], dtype=np.float32))
    layer.beta.assign(np.array([1.0, -1.0], dtype=np.float32))
    layer.moving_mean.assign(np.array([0.5, 2.0], dtype=np.float32))
    layer.moving_variance.assign(np.array([3.99, 0.24], dtype=np.float32))
    for out in (layer(X, training=False), layer(X)):  # training defaults to False
        # sqrt(3.99 + 0.01) = 2, sqrt(0.24 + 0.01) = 0.5
        np.testing.assert_allclose(np.asarray(out), [[1.5, -3.0], [3.5, 5.0]], rtol=1e-6)
    np.testing.assert_allclose(_values(layer.moving_mean), [0.5, 2.0])
    np.testing.assert_allclose(_values(layer.moving_variance), [3.99, 0.24], rtol=1e-7)


def test_inference_after_two_training_calls_uses_the_moved_statistics():
    layer = layers.BatchNormalization(momentum=0.9)
    layer(X, training=True)
    layer(X, training=True)
    out = np.asarray(layer(X, training=False))
    expected = _formula(X.astype(np.float64), np.array([0.38, 0.76]), np.array([1.0, 3.85]))
    np.testing.assert_allclose(out, expected, rtol=1e-5)


def test_trainable_false_runs_in_inference_mode_even_with_training_true():
    """Keras 3: a frozen BatchNormalization uses (and keeps) its moving statistics."""
    layer = layers.BatchNormalization(momentum=0.5)
    layer.build((None, 2))
    layer.moving_mean.assign(np.array([1.0, 1.0], dtype=np.float32))
    layer.moving_variance.assign(np.array([4.0, 9.0], dtype=np.float32))
    layer.trainable = False
    out = np.asarray(layer(X, training=True))
    np.testing.assert_allclose(out, _formula(X, [1.0, 1.0], [4.0, 9.0]), rtol=1e-6)
    np.testing.assert_array_equal(_values(layer.moving_mean), [1.0, 1.0])
    np.testing.assert_array_equal(_values(layer.moving_variance), [4.0, 9.0])
    assert layer.trainable_weights == []
    assert [w.name for w in layer.non_trainable_weights] == ["gamma", "beta", "moving_mean", "moving_variance"]


def test_channels_first_axis_1_on_4d_input():
    x = np.random.default_rng(0).standard_normal((3, 2, 4, 5)).astype(np.float32)
    layer = layers.BatchNormalization(axis=1, momentum=0.0)
    out = np.asarray(layer(x, training=True))
    mean = x.mean(axis=(0, 2, 3), dtype=np.float64)
    var = x.var(axis=(0, 2, 3), dtype=np.float64)
    assert layer.moving_mean.shape == (2,)
    np.testing.assert_allclose(out, _formula(x, mean.reshape(1, 2, 1, 1), var.reshape(1, 2, 1, 1)), atol=1e-5)
    # momentum 0: the moving statistics become this batch's
    np.testing.assert_allclose(_values(layer.moving_mean), mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_values(layer.moving_variance), var, rtol=1e-5)


def test_channels_last_4d_statistics_over_batch_and_space():
    x = np.random.default_rng(1).standard_normal((2, 3, 3, 4)).astype(np.float32) * 3 + 1
    layer = layers.BatchNormalization(momentum=0.0)
    layer(x, training=True)
    np.testing.assert_allclose(_values(layer.moving_mean), x.mean(axis=(0, 1, 2)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_values(layer.moving_variance), x.var(axis=(0, 1, 2)), rtol=1e-5)


def test_layer_gradient_in_training_mode(float64):
    x = np.random.default_rng(2).standard_normal((5, 3))
    layer = layers.BatchNormalization(gamma_initializer="ones")
    layer.build((None, 3))
    layer.gamma.assign(np.array([0.5, 1.5, 2.0]))
    assert gradient_check(lambda t: layer(t, training=True), x)
    assert gradient_check(lambda t: layer(t, training=False), x)


# ---- inside a model ---------------------------------------------------------------------


def _bn_model(momentum=0.5):
    model = npkeras.Sequential([npkeras.Input((2,)), layers.BatchNormalization(momentum=momentum)])
    model.compile(optimizer=npkeras.optimizers.SGD(learning_rate=0.1), loss="mse")
    return model


def test_fit_moves_the_statistics_once_per_step_and_predict_uses_them():
    model = _bn_model(momentum=0.5)
    bn = model.layers[0]
    y = np.array([[1.0, -1.0], [2.0, 0.0]], dtype=np.float32)
    model.fit(X, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    # one step: moving = 0.5 * initial + 0.5 * batch
    np.testing.assert_allclose(_values(bn.moving_mean), 0.5 * BATCH_MEAN, rtol=1e-6)
    np.testing.assert_allclose(_values(bn.moving_variance), 0.5 + 0.5 * BATCH_VAR, rtol=1e-6)
    gamma, beta = _values(bn.gamma), _values(bn.beta)
    assert not np.allclose(beta, 0.0)  # beta learned towards the targets' mean
    pred = model.predict(X, verbose=0)
    assert isinstance(pred, np.ndarray)
    expected = _formula(X.astype(np.float64), 0.5 * BATCH_MEAN, 0.5 + 0.5 * BATCH_VAR, gamma, beta)
    np.testing.assert_allclose(pred, expected, rtol=1e-5, atol=1e-6)


def test_fit_beta_gradient_step_is_hand_computable():
    """mse over batch stats: d/d beta = 2 * mean(y_hat - y) / n_outputs, y_hat = x_hat * gamma + beta."""
    model = _bn_model()
    bn = model.layers[0]
    y = np.array([[1.0, -1.0], [2.0, 0.0]], dtype=np.float32)
    model.fit(X, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    # x_hat sums to zero per column, so grad_beta_j = 2 / (2 * 2) * sum_i (beta_j - y_ij) = -sum_i y_ij / 2
    # sum_i y_i = [3, -1]: beta = -0.1 * -[3, -1] / 2 = [0.15, -0.05]
    np.testing.assert_allclose(_values(bn.beta), [0.15, -0.05], rtol=1e-5)


def test_evaluate_and_predict_leave_the_moving_statistics_alone():
    model = _bn_model()
    bn = model.layers[0]
    model.fit(X, np.zeros((2, 2), np.float32), batch_size=2, epochs=1, verbose=0)
    before = [_values(bn.moving_mean), _values(bn.moving_variance)]
    model.evaluate(X * 10, np.zeros((2, 2), np.float32), verbose=0)
    model.predict(X * 10, verbose=0)
    np.testing.assert_array_equal(_values(bn.moving_mean), before[0])
    np.testing.assert_array_equal(_values(bn.moving_variance), before[1])


def test_fit_with_a_frozen_batch_norm_changes_nothing_in_it():
    model = npkeras.Sequential([npkeras.Input((2,)), layers.BatchNormalization(momentum=0.5), layers.Dense(1)])
    bn = model.layers[0]
    bn.trainable = False
    model.compile(optimizer=npkeras.optimizers.SGD(learning_rate=0.1), loss="mse")
    dense_before = _values(model.layers[1].kernel)
    model.fit(X, np.array([[1.0], [2.0]], np.float32), batch_size=2, epochs=2, verbose=0)
    np.testing.assert_array_equal(_values(bn.moving_mean), [0.0, 0.0])
    np.testing.assert_array_equal(_values(bn.moving_variance), [1.0, 1.0])
    np.testing.assert_array_equal(_values(bn.gamma), [1.0, 1.0])
    np.testing.assert_array_equal(_values(bn.beta), [0.0, 0.0])
    assert not np.array_equal(_values(model.layers[1].kernel), dense_before)


# ---- config -----------------------------------------------------------------------------


def test_get_config_equals_keras():
    assert layers.BatchNormalization(name="bn").get_config() == KERAS_DEFAULT_CONFIG


def test_get_config_non_default_equals_keras():
    config = layers.BatchNormalization(
        axis=1,
        momentum=0.9,
        epsilon=1e-5,
        center=False,
        gamma_initializer="zeros",
        gamma_regularizer="l2",
        name="bn2",
    ).get_config()
    expected = {
        **KERAS_DEFAULT_CONFIG,
        "name": "bn2",
        "axis": 1,
        "momentum": 0.9,
        "epsilon": 1e-05,
        "center": False,
        "gamma_initializer": _init("Zeros"),
        "gamma_regularizer": {
            "module": "keras.regularizers",
            "class_name": "L2",
            "config": {"l2": 0.01},
            "registered_name": None,
        },
    }
    assert config == expected
    assert list(config) == list(expected)


def test_from_config_round_trip():
    layer = layers.BatchNormalization(axis=1, momentum=0.8, epsilon=0.01, scale=False, name="bn_rt")
    config = layer.get_config()
    clone = layers.BatchNormalization.from_config(config)
    assert clone.get_config() == config
    x = np.random.default_rng(3).standard_normal((4, 3, 2)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(clone(x, training=True)), np.asarray(layer(x, training=True)), rtol=1e-6)
    np.testing.assert_allclose(_values(clone.moving_mean), _values(layer.moving_mean), rtol=1e-6)
    assert [w.name for w in clone.weights] == ["beta", "moving_mean", "moving_variance"]


def test_from_keras_config_builds_the_same_layer():
    layer = layers.BatchNormalization.from_config(KERAS_DEFAULT_CONFIG)
    assert layer.name == "bn"
    assert layer.momentum == 0.99 and layer.epsilon == 0.001 and layer.axis == -1


# ---- errors -----------------------------------------------------------------------------


def test_input_with_a_different_channel_count_error_names_layer():
    layer = layers.BatchNormalization(name="bn_sized")
    layer(np.zeros((2, 5), np.float32))
    with pytest.raises(ValueError) as info:
        layer(np.zeros((2, 4), np.float32))
    message = str(info.value)
    assert "bn_sized" in message
    assert "5" in message and "(2, 4)" in message


def test_renorm_is_refused_with_the_layer_name():
    with pytest.raises(ValueError, match="bn_renorm.*renorm"):
        layers.BatchNormalization(renorm=True, name="bn_renorm")


@pytest.mark.parametrize("axis", [2, -3])
def test_axis_out_of_range_error_names_layer(axis):
    with pytest.raises(ValueError) as info:
        layers.BatchNormalization(axis=axis, name="bn_axis")(np.zeros((2, 5), np.float32))
    assert "bn_axis" in str(info.value)
    assert str(axis) in str(info.value)


def test_unknown_channel_size_error_names_layer():
    with pytest.raises(ValueError, match="bn_none"):
        layers.BatchNormalization(name="bn_none").build((None, None))


def test_non_integer_axis_error_names_layer():
    with pytest.raises(ValueError, match="bn_list"):
        layers.BatchNormalization(axis=[1, 2], name="bn_list")


def test_lower_rank_input_than_the_built_axis_error_names_layer():
    layer = layers.BatchNormalization(axis=3, name="bn_rank")
    layer(np.zeros((2, 3, 4, 5), np.float32))
    with pytest.raises(ValueError, match="bn_rank"):
        layer(np.zeros((2, 5), np.float32))


def test_integer_input_is_normalized_in_float32_as_keras_does():
    x = np.arange(48, dtype=np.uint8).reshape(12, 4)
    bn = layers.BatchNormalization()
    y = np.asarray(bn(x, training=True))
    assert y.dtype == np.float32
    xf = x.astype(np.float32)
    expected = (xf - xf.mean(0)) / np.sqrt(xf.var(0) + 1e-3)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)
    assert np.asarray(bn(x, training=False)).dtype == np.float32
