"""Fused Dense (matmul + bias + relu) and inverted Dropout."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check, no_grad
from npkeras.ops import nn


def arrays(x_shape, units=5, seed=0):
    r = np.random.default_rng(seed)
    return r.standard_normal(x_shape), r.standard_normal((x_shape[-1], units)), r.standard_normal(units)


@pytest.mark.parametrize("relu", [False, True], ids=["linear", "relu"])
@pytest.mark.parametrize("x_shape", [(4, 3), (2, 4, 3)], ids=["rank2", "rank3"])
def test_dense_with_bias(x_shape, relu):
    x, k, b = arrays(x_shape)
    y = nn.Dense(relu=relu)(Tensor(x), Tensor(k), Tensor(b))
    expected = x @ k + b
    if relu:
        expected = np.maximum(expected, 0)
    assert y.shape == x_shape[:-1] + (5,)
    np.testing.assert_allclose(y.data, expected, rtol=1e-12)
    assert gradient_check(lambda a, w, c: nn.Dense(relu=relu)(a, w, c), x, k, b)


@pytest.mark.parametrize("relu", [False, True], ids=["linear", "relu"])
@pytest.mark.parametrize("x_shape", [(4, 3), (2, 4, 3)], ids=["rank2", "rank3"])
def test_dense_without_bias(x_shape, relu):
    x, k, _ = arrays(x_shape, seed=1)
    y = nn.Dense(relu=relu)(Tensor(x), Tensor(k))
    expected = x @ k
    if relu:
        expected = np.maximum(expected, 0)
    np.testing.assert_allclose(y.data, expected, rtol=1e-12)
    assert gradient_check(lambda a, w: nn.Dense(relu=relu)(a, w), x, k)


def test_dense_does_not_modify_inputs_and_skips_constant_x():
    x, k, b = arrays((3, 2), units=4, seed=2)
    copies = x.copy(), k.copy(), b.copy()
    kt, bt = Tensor(k, requires_grad=True), Tensor(b, requires_grad=True)
    y = nn.Dense(relu=True)(Tensor(x), kt, bt)
    ops.sum(y).backward()
    for arr, orig in zip((x, k, b), copies):
        np.testing.assert_array_equal(arr, orig)
    mask = (x @ k + b) > 0
    np.testing.assert_allclose(kt.grad, x.T @ mask.astype(float), rtol=1e-12)
    np.testing.assert_allclose(bt.grad, mask.sum(axis=0), rtol=1e-12)


def test_dense_float32_stays_float32():
    x, k, b = (a.astype(np.float32) for a in arrays((4, 3)))
    kt = Tensor(k, requires_grad=True)
    y = nn.Dense()(Tensor(x), kt, Tensor(b))
    assert y.dtype == np.float32
    ops.sum(y).backward()
    assert kt.grad.dtype == np.float32


def test_dropout_zeros_and_scales():
    rate = 0.3
    x = Tensor(np.full((200, 50), 2.0, dtype=np.float32), requires_grad=True)
    y = nn.Dropout(rate, seed_generator=np.random.default_rng(0))(x)
    assert y.dtype == np.float32 and y.shape == x.shape
    values = np.unique(y.data)
    np.testing.assert_allclose(values, [0.0, 2.0 / (1 - rate)], rtol=1e-6)
    dropped = np.mean(y.data == 0)
    assert abs(dropped - rate) < 0.02
    assert abs(float(y.data.mean()) - 2.0) < 0.05  # the mean is preserved in expectation


def test_dropout_mean_preserved_in_expectation_over_many_draws():
    x = np.random.default_rng(1).standard_normal(20).astype(np.float32)
    gen = np.random.default_rng(2)
    draws = [nn.Dropout(0.5, seed_generator=gen)(Tensor(x)).data for _ in range(2000)]
    sigma = np.abs(x) / np.sqrt(len(draws))  # std of the mean of 2000 draws, rate 0.5
    assert np.all(np.abs(np.mean(draws, axis=0) - x) <= 4 * sigma + 1e-6)


def test_dropout_gradient_equals_mask_times_scale():
    rate = 0.4
    r = np.random.default_rng(3)
    x = Tensor(r.uniform(1.0, 2.0, (30, 20)), requires_grad=True)
    y = nn.Dropout(rate, seed_generator=np.random.default_rng(4))(x)
    upstream = r.standard_normal((30, 20))
    y.backward(upstream)
    kept = y.data != 0
    assert 0 < kept.mean() < 1
    np.testing.assert_allclose(x.grad, upstream * kept / (1 - rate), rtol=1e-12)
    np.testing.assert_allclose(y.data, x.data * kept / (1 - rate), rtol=1e-12)


def test_dropout_noise_shape_broadcasts_the_mask():
    x = Tensor(np.ones((6, 40)), requires_grad=True)
    y = nn.Dropout(0.5, noise_shape=(1, 40), seed_generator=np.random.default_rng(5))(x)
    assert np.all(y.data == y.data[0])  # every row shares one mask
    assert 0 < np.mean(y.data[0] == 0) < 1
    ops.sum(y).backward()
    np.testing.assert_allclose(x.grad, y.data)


def test_dropout_rate_zero_is_identity():
    x = np.random.default_rng(6).standard_normal((4, 4))
    np.testing.assert_array_equal(nn.Dropout(0.0)(Tensor(x)).data, x)


def test_dropout_same_seed_same_mask_and_no_grad():
    x = Tensor(np.ones((10, 10)))
    a = nn.Dropout(0.5, seed_generator=np.random.default_rng(7))(x)
    with no_grad():
        b = nn.Dropout(0.5, seed_generator=np.random.default_rng(7))(x)
    np.testing.assert_array_equal(a.data, b.data)
    assert b.creator is None


def test_add_relu_is_relu_of_the_sum_and_passes_gradient_check():
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((3, 4, 5)), rng.standard_normal((3, 4, 5))
    y = nn.AddRelu()(Tensor(a), Tensor(b))
    np.testing.assert_array_equal(y.data, np.maximum(a + b, 0))
    assert gradient_check(lambda p, q: nn.AddRelu()(p, q), a, b)


def test_add_relu_keeps_no_mask_outside_autograd():
    op = nn.AddRelu()
    with no_grad():
        op(Tensor(np.ones((2, 3), np.float32), requires_grad=True), Tensor(np.ones((2, 3), np.float32)))
    assert not hasattr(op, "passed")
