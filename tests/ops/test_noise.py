"""The noise ops: their statistics from large draws, and gradients (float64) with the draw held fixed."""

import numpy as np

from npkeras.autograd import Tensor, gradient_check
from npkeras.ops import noise

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def fixed_draw(op_class, *args):
    """fn(x) applying op_class(*args) with the same seed on every call, so central differences see one draw."""
    return lambda x: op_class(*args, np.random.default_rng(7))(x)


def test_gaussian_noise_is_additive_with_the_given_stddev():
    x = np.full((400, 500), 2.0, dtype=np.float32)
    y = noise.GaussianNoise(0.3, np.random.default_rng(0))(Tensor(x)).data
    assert y.dtype == np.float32
    assert abs((y - x).mean()) < 0.003
    assert abs((y - x).std() - 0.3) < 0.003
    assert gradient_check(fixed_draw(noise.GaussianNoise, 0.3), np.random.default_rng(1).standard_normal((3, 4)))


def test_gaussian_dropout_multiplies_by_noise_of_mean_one_and_variance_rate_over_keep():
    x = np.ones((400, 500), dtype=np.float32)
    y = noise.GaussianDropout(0.2, np.random.default_rng(0))(Tensor(x)).data
    assert abs(y.mean() - 1.0) < 0.003
    assert abs(y.var() - 0.2 / 0.8) < 0.003
    assert gradient_check(fixed_draw(noise.GaussianDropout, 0.2), np.random.default_rng(2).standard_normal((3, 4)))


def test_alpha_dropout_constants_keep_zero_mean_and_unit_variance():
    rate = 0.3
    a, b, alpha_p = noise.alpha_dropout_constants(rate)
    assert np.isclose(alpha_p, -SELU_ALPHA * SELU_SCALE)
    # for x of mean 0 and variance 1: E[y] = a * rate * alpha' + b = 0 and Var[y] = 1 (Klambauer et al., 2017)
    assert np.isclose(a * rate * alpha_p + b, 0.0)
    assert np.isclose(a * a * ((1 - rate) + rate * (1 - rate) * alpha_p**2), 1.0)
    x = np.random.default_rng(3).standard_normal((500, 400)).astype(np.float32)
    y = noise.AlphaDropout(rate, None, np.random.default_rng(4))(Tensor(x)).data
    dropped = np.isclose(y, a * alpha_p + b)
    assert abs(dropped.mean() - rate) < 0.005
    np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-6)
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1.0) < 0.01


def test_alpha_dropout_with_a_noise_shape_drops_whole_rows_and_checks_its_gradient():
    x = np.random.default_rng(5).standard_normal((4, 3, 6))
    y = noise.AlphaDropout(0.5, (4, 1, 6), np.random.default_rng(0))(Tensor(x)).data
    a, b, alpha_p = noise.alpha_dropout_constants(0.5)
    dropped = np.isclose(y, a * alpha_p + b)
    assert (dropped == dropped[:, :1, :]).all()  # one draw for the whole axis 1
    assert gradient_check(fixed_draw(noise.AlphaDropout, 0.5, (4, 1, 6)), x)
