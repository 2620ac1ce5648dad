"""Adam (and AMSGrad) against a NumPy reference of Keras 3's update rule (keras_facts.md section 10)."""

import math

import numpy as np
import pytest
from keras_optimizer_config import KERAS_BASE_CONFIG

from npkeras import optimizers
from npkeras.autograd import Variable

STEPS = 10


def adam_reference(initial, grads, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    var = initial.astype(np.float64).copy()
    m = np.zeros_like(var)
    v = np.zeros_like(var)
    v_hat = np.zeros_like(var)
    lr = float(np.float32(learning_rate))  # Keras stores the learning rate as float32
    for t, g in enumerate(grads, start=1):
        alpha = lr * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        m = m + (g - m) * (1 - beta_1)
        v = v + (g * g - v) * (1 - beta_2)
        denom_v = v
        if amsgrad:
            v_hat = np.maximum(v_hat, v)
            denom_v = v_hat
        var = var - (m * alpha) / (np.sqrt(denom_v) + epsilon)
    return var


def _problem(seed=1):
    rng = np.random.default_rng(seed)
    initial = [rng.standard_normal((4, 3)), rng.standard_normal(3)]
    # growing then shrinking gradients so that AMSGrad's max really differs from v
    scales = [3.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0.1, 0.05, 0.02, 0.01]
    grads = [[s * rng.standard_normal((4, 3)), s * rng.standard_normal(3)] for s in scales]
    return initial, grads


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01},
        {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-3},
        {"learning_rate": 0.01, "amsgrad": True},
        {"learning_rate": 0.1, "beta_2": 0.9, "amsgrad": True},
    ],
)
def test_adam_matches_reference_over_ten_steps(kwargs):
    initial, grads = _problem()
    variables = [Variable(v, dtype="float64") for v in initial]
    arrays = [v.data for v in variables]
    opt = optimizers.Adam(**kwargs)
    for step, step_grads in enumerate(grads, start=1):
        opt.apply_gradients(zip(step_grads, variables))
        assert int(opt.iterations.data) == step
    for i, var in enumerate(variables):
        expected = adam_reference(initial[i], [g[i] for g in grads], **kwargs)
        np.testing.assert_allclose(np.asarray(var), expected, rtol=1e-6, atol=1e-6)
        assert var.data is arrays[i]


def test_amsgrad_differs_from_adam_on_this_problem():
    initial, grads = _problem()
    g0 = [g[0] for g in grads]
    plain = adam_reference(initial[0], g0, learning_rate=0.1, beta_2=0.9)
    ams = adam_reference(initial[0], g0, learning_rate=0.1, beta_2=0.9, amsgrad=True)
    assert np.abs(plain - ams).max() > 1e-3


def test_adam_amsgrad_matches_keras_measured_values():
    """keras 3.13.2: Adam(0.1, amsgrad=True) from [1, 2] with grads [1,-1], [.5,.5], [-.3, 2]."""
    var = Variable(np.array([1.0, 2.0]), dtype="float64")
    opt = optimizers.Adam(0.1, amsgrad=True)
    for g in (np.array([1.0, -1.0]), np.array([0.5, 0.5]), np.array([-0.3, 2.0])):
        opt.apply_gradients([(g, var)])
    np.testing.assert_allclose(np.asarray(var), [0.7537622, 2.08089966], rtol=1e-5)  # Keras ran in float32


def test_adam_first_step_moves_each_weight_by_learning_rate():
    var = Variable(np.array([0.0, 0.0, 0.0]), dtype="float64")
    optimizers.Adam(learning_rate=0.01).apply_gradients([(np.array([5.0, -0.2, 0.05]), var)])
    np.testing.assert_allclose(np.asarray(var), [-0.01, 0.01, -0.01], rtol=1e-3)


def test_adam_float32_in_place():
    var = Variable(np.ones(4, np.float32))
    array = var.data
    opt = optimizers.Adam()
    for _ in range(3):
        opt.apply_gradients([(np.ones(4, np.float32), var)])
    assert var.data is array and var.dtype == np.float32
    expected = adam_reference(np.ones(4), [np.ones(4)] * 3)
    np.testing.assert_allclose(np.asarray(var), expected, rtol=1e-6)


def test_adam_slot_variables():
    kernel = Variable(np.zeros((784, 128)), dtype="float32")
    bias = Variable(np.zeros(128), dtype="float32")
    opt = optimizers.Adam()
    opt.apply_gradients([(np.ones((784, 128)), kernel), (np.ones(128), bias)])
    # keras_facts.md section 2: optimizer params = 2 per weight + iterations + learning_rate
    assert sum(int(np.size(v.data)) for v in opt.variables) == 2 * (784 * 128 + 128) + 2
    ams = optimizers.Adam(amsgrad=True)
    ams.apply_gradients([(np.ones(128), Variable(np.zeros(128), dtype="float32"))])
    assert sum(int(np.size(v.data)) for v in ams.variables) == 3 * 128 + 2


def test_adam_config_matches_keras():
    assert optimizers.Adam().get_config() == {
        "name": "adam",
        "learning_rate": 0.0010000000474974513,
        **KERAS_BASE_CONFIG,
        "beta_1": 0.9,
        "beta_2": 0.999,
        "epsilon": 1e-07,
        "amsgrad": False,
    }
    assert type(optimizers.Adam().get_config()["learning_rate"]) is float


def test_adam_from_config_round_trip():
    opt = optimizers.Adam(learning_rate=0.02, beta_1=0.8, amsgrad=True, global_clipnorm=1.0)
    config = opt.get_config()
    assert optimizers.Adam.from_config(config).get_config() == config
