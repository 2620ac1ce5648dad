"""npkeras.random's samplers: values, statistics, dtypes, errors, and dropout's gradient."""

import numpy as np
import pytest

from npkeras import random
from npkeras.autograd import Tensor, gradient_check

N = (200, 250)  # 50,000 samples: sample means within ~0.02 of the truth


def test_normal_statistics_dtype_and_tensor():
    x = random.normal(N, mean=2.0, stddev=3.0, seed=1)
    assert isinstance(x, Tensor) and x.dtype == np.float32 and x.shape == N
    assert abs(float(np.mean(x)) - 2.0) < 0.05 and abs(float(np.std(x)) - 3.0) < 0.05
    assert random.normal((3,), dtype="float64", seed=1).dtype == np.float64


def test_floatx_is_the_default_dtype(float64):
    assert random.uniform((2,)).dtype == np.float64
    assert random.normal((2,)).dtype == np.float64


def test_uniform_range_and_mean():
    x = np.asarray(random.uniform(N, minval=-1.0, maxval=3.0, seed=2))
    assert x.min() >= -1.0 and x.max() < 3.0 and abs(x.mean() - 1.0) < 0.03
    with pytest.raises(ValueError, match="requires a floating point `dtype`"):
        random.uniform((2,), dtype="int32")


def test_truncated_normal_stays_within_two_stddev():
    x = np.asarray(random.truncated_normal(N, mean=1.0, stddev=0.5, seed=3))
    assert x.min() >= 0.0 and x.max() <= 2.0
    # the standard normal truncated to [-2, 2] has standard deviation 0.8796
    assert abs(x.std() / 0.5 - 0.8796) < 0.01 and abs(x.mean() - 1.0) < 0.01


def test_randint_bounds_dtype_and_all_values_hit():
    x = np.asarray(random.randint((1000,), 3, 7, seed=4))
    assert x.dtype == np.int32 and set(np.unique(x)) == {3, 4, 5, 6}
    with pytest.raises(ValueError, match="requires an integer `dtype`"):
        random.randint((2,), 0, 3, dtype="float32")


def test_gamma_binomial_beta_moments():
    g = np.asarray(random.gamma(N, alpha=3.0, seed=5))
    assert g.dtype == np.float32 and g.min() > 0 and abs(g.mean() - 3.0) < 0.05 and abs(g.var() - 3.0) < 0.15
    b = np.asarray(random.binomial(N, counts=10, probabilities=0.3, seed=6))
    assert b.dtype == np.float32 and np.all(b == np.round(b)) and b.min() >= 0 and b.max() <= 10
    assert abs(b.mean() - 3.0) < 0.05 and abs(b.var() - 2.1) < 0.1
    be = np.asarray(random.beta(N, alpha=2.0, beta=5.0, seed=7))
    assert be.min() >= 0 and be.max() <= 1 and abs(be.mean() - 2 / 7) < 0.01


def test_categorical_follows_softmax_probabilities():
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 1e-12]], dtype=np.float32))
    s = np.asarray(random.categorical(logits, 20000, seed=8))
    assert s.shape == (2, 20000) and s.dtype == np.int32
    np.testing.assert_allclose(np.bincount(s[0], minlength=3) / 20000, [0.1, 0.2, 0.7], atol=0.015)
    assert set(np.unique(s[1])) == {0, 1}
    with pytest.raises(ValueError, match="`logits` should be a 2-D tensor"):
        random.categorical(np.zeros(3), 2)


def test_shuffle_permutes_whole_slices_along_axis():
    x = np.arange(20).reshape(5, 4)
    rows = np.asarray(random.shuffle(x, seed=9))
    assert sorted(map(tuple, rows)) == sorted(map(tuple, x)) and not np.array_equal(rows, x)
    cols = np.asarray(random.shuffle(x, axis=1, seed=9))
    np.testing.assert_array_equal(np.sort(cols, axis=1), x)
    assert len({tuple(c) for c in (cols - cols[:, :1]).T}) == 4  # each column moved as a whole


def test_dropout_values_rate_and_noise_shape():
    x = np.ones((200, 100), dtype=np.float32)
    y = np.asarray(random.dropout(x, 0.25, seed=1))
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)} and abs((y == 0).mean() - 0.25) < 0.01
    z = np.asarray(random.dropout(x, 0.5, noise_shape=(None, 1), seed=2))
    assert np.all((z == 0).all(axis=1) | (z == 2).all(axis=1))
    np.testing.assert_array_equal(random.dropout(x, 0.0), x)
    np.testing.assert_array_equal(random.dropout(x, 1.0), np.zeros_like(x))
    with pytest.raises(ValueError, match="rate"):
        random.dropout(x, 1.5)


def test_dropout_gradient_flows_through_the_kept_units():
    x = np.random.default_rng(0).standard_normal((4, 6))
    gradient_check(lambda t: random.dropout(t, 0.4, seed=3), x)  # an int seed: the same mask on every evaluation
    t = Tensor(x, requires_grad=True)
    y = random.dropout(t, 0.4, seed=3)
    y.backward(np.ones_like(x))
    np.testing.assert_allclose(t.grad, np.asarray(y) / x)
