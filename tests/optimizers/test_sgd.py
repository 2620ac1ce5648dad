"""SGD (plain, momentum, Nesterov) against a NumPy reference of Keras 3's update rule."""

import numpy as np
import pytest
from keras_optimizer_config import KERAS_BASE_CONFIG

from npkeras import optimizers
from npkeras.autograd import Variable

STEPS = 10


def _f32(x):
    return float(np.float32(x))  # Keras stores the learning rate as a float32 variable


def sgd_reference(initial, grads, lr, momentum=0.0, nesterov=False):
    var = initial.astype(np.float64).copy()
    m = np.zeros_like(var)
    lr = _f32(lr)
    for g in grads:
        if momentum == 0:
            var -= lr * g
        else:
            m = momentum * m - lr * g
            var = var + (momentum * m - lr * g if nesterov else m)
    return var


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    initial = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    grads = [[rng.standard_normal((3, 4)), rng.standard_normal(4)] for _ in range(STEPS)]
    return initial, grads


@pytest.mark.parametrize(
    "kwargs",
    [
        {"learning_rate": 0.1},
        {"learning_rate": 0.05, "momentum": 0.9},
        {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True},
        {"learning_rate": 0.2, "momentum": 0.5, "nesterov": True},
    ],
)
def test_sgd_matches_reference_over_ten_steps(kwargs):
    initial, grads = _problem()
    variables = [Variable(v, dtype="float64") for v in initial]
    arrays = [v.data for v in variables]
    opt = optimizers.SGD(**kwargs)
    for step_grads in grads:
        opt.apply_gradients(zip(step_grads, variables))
    rule = {k: v for k, v in kwargs.items() if k != "learning_rate"}
    for i, var in enumerate(variables):
        expected = sgd_reference(initial[i], [g[i] for g in grads], kwargs["learning_rate"], **rule)
        np.testing.assert_allclose(np.asarray(var), expected, rtol=1e-6, atol=1e-6)
        assert var.data is arrays[i]  # updated in place
    assert int(opt.iterations.data) == STEPS


def test_nesterov_matches_keras_measured_values():
    """keras 3.13.2: SGD(0.1, momentum=0.9, nesterov=True) from [1, 2] with grads [1, -1], [.5, .5]."""
    var = Variable(np.array([1.0, 2.0]), dtype="float64")
    opt = optimizers.SGD(0.1, momentum=0.9, nesterov=True)
    for g in (np.array([1.0, -1.0]), np.array([0.5, 0.5])):
        opt.apply_gradients([(g, var)])
    np.testing.assert_allclose(np.asarray(var), [0.634, 2.176], rtol=1e-6)


def test_sgd_float32_variables_stay_float32_and_in_place():
    var = Variable(np.ones((2, 2), np.float32))
    array = var.data
    opt = optimizers.SGD(0.5)
    opt.apply_gradients([(np.full((2, 2), 0.5, np.float32), var)])
    assert var.data is array
    assert var.dtype == np.float32
    np.testing.assert_allclose(np.asarray(var), 0.75)


def test_sgd_defaults_and_config():
    opt = optimizers.SGD()
    assert opt.get_config() == {
        "name": "SGD",
        "learning_rate": 0.009999999776482582,
        **KERAS_BASE_CONFIG,
        "momentum": 0.0,
        "nesterov": False,
    }
    assert type(opt.get_config()["learning_rate"]) is float


def test_sgd_from_config_round_trip():
    opt = optimizers.SGD(learning_rate=0.3, momentum=0.8, nesterov=True, clipnorm=2.0)
    config = opt.get_config()
    clone = optimizers.SGD.from_config(config)
    assert clone.get_config() == config
    assert clone.momentum == 0.8 and clone.nesterov is True and clone.clipnorm == 2.0


def test_sgd_momentum_slots_only_with_momentum():
    var = Variable(np.zeros(5), dtype="float64")
    plain = optimizers.SGD(0.1)
    plain.apply_gradients([(np.ones(5), var)])
    assert len(plain.variables) == 2  # iterations and learning_rate
    with_momentum = optimizers.SGD(0.1, momentum=0.9)
    with_momentum.apply_gradients([(np.ones(5), Variable(np.zeros(5), dtype="float64"))])
    assert len(with_momentum.variables) == 3


@pytest.mark.parametrize("momentum", [-0.1, 1.5])
def test_sgd_invalid_momentum(momentum):
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=momentum)
