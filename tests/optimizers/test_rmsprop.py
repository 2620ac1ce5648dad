"""RMSprop (plain, momentum, centered) against a NumPy reference of Keras 3's update rule."""

import numpy as np
import pytest
from keras_optimizer_config import KERAS_BASE_CONFIG

from npkeras import optimizers
from npkeras.autograd import Variable

STEPS = 10


def rmsprop_reference(initial, grads, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    """v = rho v + (1-rho) g^2; increment = lr g / sqrt(v + eps) (centered: v - avg^2 + eps);
    with momentum m = momentum m + increment and var -= m, else var -= increment."""
    var = initial.astype(np.float64).copy()
    v = np.zeros_like(var)
    avg = np.zeros_like(var)
    m = np.zeros_like(var)
    lr = float(np.float32(learning_rate))  # Keras stores the learning rate as float32
    for g in grads:
        v = rho * v + (1 - rho) * g * g
        if centered:
            avg = rho * avg + (1 - rho) * g
            denominator = v - avg * avg + epsilon
        else:
            denominator = v + epsilon
        increment = lr * g / np.sqrt(denominator)
        if momentum > 0:
            m = momentum * m + increment
            var = var - m
        else:
            var = var - increment
    return var


def _problem(seed=2):
    rng = np.random.default_rng(seed)
    initial = [rng.standard_normal((2, 5)), rng.standard_normal(5)]
    grads = [[rng.standard_normal((2, 5)) + 0.5, rng.standard_normal(5) - 0.3] for _ in range(STEPS)]
    return initial, grads


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01},
        {"learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-4},
        {"learning_rate": 0.01, "momentum": 0.9},
        {"learning_rate": 0.01, "centered": True},
        {"learning_rate": 0.02, "momentum": 0.5, "centered": True},
    ],
)
def test_rmsprop_matches_reference_over_ten_steps(kwargs):
    initial, grads = _problem()
    variables = [Variable(v, dtype="float64") for v in initial]
    arrays = [v.data for v in variables]
    opt = optimizers.RMSprop(**kwargs)
    for step_grads in grads:
        opt.apply_gradients(zip(step_grads, variables))
    for i, var in enumerate(variables):
        expected = rmsprop_reference(initial[i], [g[i] for g in grads], **kwargs)
        np.testing.assert_allclose(np.asarray(var), expected, rtol=1e-6, atol=1e-6)
        assert var.data is arrays[i]
    assert int(opt.iterations.data) == STEPS


def test_rmsprop_centered_momentum_matches_keras_measured_values():
    """keras 3.13.2: RMSprop(0.1, momentum=0.5, centered=True) from [1, 2] with grads [1,-1], [.5,.5], [-.3, 2]."""
    var = Variable(np.array([1.0, 2.0]), dtype="float64")
    opt = optimizers.RMSprop(0.1, momentum=0.5, centered=True)
    for g in (np.array([1.0, -1.0]), np.array([0.5, 0.5]), np.array([-0.3, 2.0])):
        opt.apply_gradients([(g, var)])
    np.testing.assert_allclose(np.asarray(var), [0.26719353, 2.07091366], rtol=1e-5)  # Keras ran in float32


def test_rmsprop_first_step():
    var = Variable(np.array([1.0, 1.0]), dtype="float64")
    optimizers.RMSprop(learning_rate=0.01).apply_gradients([(np.array([2.0, -3.0]), var)])
    # v = 0.1 g^2, so the first step is lr * g / sqrt(0.1 g^2 + eps) = lr * sign(g) * sqrt(10)
    np.testing.assert_allclose(np.asarray(var), 1.0 - 0.01 * np.sign([2.0, -3.0]) * np.sqrt(10), rtol=1e-6)


def test_rmsprop_config_matches_keras():
    assert optimizers.RMSprop().get_config() == {
        "name": "rmsprop",
        "learning_rate": 0.0010000000474974513,
        **KERAS_BASE_CONFIG,
        "rho": 0.9,
        "momentum": 0.0,
        "epsilon": 1e-07,
        "centered": False,
    }


def test_rmsprop_from_config_round_trip():
    opt = optimizers.RMSprop(learning_rate=0.01, rho=0.8, momentum=0.3, centered=True, clipvalue=1.0)
    config = opt.get_config()
    assert optimizers.RMSprop.from_config(config).get_config() == config


def test_rmsprop_slots():
    def slot_count(**kwargs):
        opt = optimizers.RMSprop(**kwargs)
        opt.apply_gradients([(np.ones(3), Variable(np.zeros(3), dtype="float64"))])
        return len(opt.variables) - 2

    assert slot_count() == 1
    assert slot_count(momentum=0.9) == 2
    assert slot_count(centered=True) == 2
    assert slot_count(momentum=0.9, centered=True) == 3
