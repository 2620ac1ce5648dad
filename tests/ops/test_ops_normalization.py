"""BatchNormTraining (fused, batch statistics), moments and batch_normalization."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check
from npkeras.backend import blas_threads_scope, get_blas_threads, set_blas_threads, threads
from npkeras.ops import normalization
from npkeras.ops.normalization import BatchNormTraining

EPS = 1e-3


def reference_bn(x, axis, gamma=None, beta=None, epsilon=EPS):
    """(x - mean) / sqrt(var + eps) * gamma + beta with the biased variance over every axis but `axis`."""
    axis = axis % x.ndim
    axes = tuple(a for a in range(x.ndim) if a != axis)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    y = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + epsilon)
    if gamma is not None:
        y = y * gamma.reshape(shape)
    if beta is not None:
        y = y + beta.reshape(shape)
    return y


# shape, axis; the channel size is shape[axis]
CASES = [((5, 3), -1), ((5, 3), 1), ((5, 3), 0), ((2, 3, 4, 5), -1), ((2, 3, 4, 5), 1)]
CASE_IDS = [f"{s}-axis{a}" for s, a in CASES]


def _data(shape, axis, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * 2.0 + 0.5
    channels = shape[axis]
    gamma = rng.uniform(0.5, 1.5, channels)
    beta = rng.standard_normal(channels)
    return x, gamma, beta


# ---- BatchNormTraining ------------------------------------------------------------------


@pytest.mark.parametrize("shape, axis", CASES, ids=CASE_IDS)
def test_batch_norm_training_forward_matches_formula(shape, axis):
    x, gamma, beta = _data(shape, axis)
    op = BatchNormTraining(axis, EPS)
    out = op(Tensor(x), Tensor(gamma), Tensor(beta))
    np.testing.assert_allclose(out.data, reference_bn(x, axis, gamma, beta), rtol=1e-12, atol=1e-12)
    assert out.shape == shape


@pytest.mark.parametrize("shape, axis", CASES, ids=CASE_IDS)
def test_batch_norm_training_records_batch_mean_and_biased_variance(shape, axis):
    x, gamma, beta = _data(shape, axis, seed=1)
    op = BatchNormTraining(axis, EPS)
    op(Tensor(x), Tensor(gamma), Tensor(beta))
    axes = tuple(a for a in range(x.ndim) if a != axis % x.ndim)
    assert op.mean.shape == op.variance.shape == (shape[axis],)
    np.testing.assert_allclose(op.mean, x.mean(axis=axes), rtol=1e-12)
    np.testing.assert_allclose(op.variance, x.var(axis=axes, ddof=0), rtol=1e-12)
    assert not np.allclose(op.variance, x.var(axis=axes, ddof=1))


def test_batch_norm_training_hand_computed_values():
    # column 0: [1, 3] -> mean 2, var 1; column 1: [0, 8] -> mean 4, var 16
    x = np.array([[1.0, 0.0], [3.0, 8.0]])
    gamma, beta = np.array([2.0, 0.5]), np.array([10.0, -1.0])
    op = BatchNormTraining(-1, 0.0)
    out = op(Tensor(x), Tensor(gamma), Tensor(beta)).data
    np.testing.assert_allclose(out, [[8.0, -1.5], [12.0, -0.5]], rtol=1e-12)
    np.testing.assert_array_equal(op.mean, [2.0, 4.0])
    np.testing.assert_array_equal(op.variance, [1.0, 16.0])


def test_batch_norm_training_keeps_float32():
    x, gamma, beta = (a.astype(np.float32) for a in _data((6, 4), -1, seed=2))
    out = BatchNormTraining(-1, EPS)(Tensor(x), Tensor(gamma), Tensor(beta))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, reference_bn(x.astype(np.float64), -1, gamma, beta), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("has_gamma, has_beta", [(False, True), (True, False), (False, False)])
def test_batch_norm_training_without_gamma_or_beta(has_gamma, has_beta):
    x, gamma, beta = _data((2, 3, 4, 5), -1, seed=3)
    params = [Tensor(p) for p, used in ((gamma, has_gamma), (beta, has_beta)) if used]
    out = BatchNormTraining(-1, EPS, has_gamma=has_gamma, has_beta=has_beta)(Tensor(x), *params)
    expected = reference_bn(x, -1, gamma if has_gamma else None, beta if has_beta else None)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape, axis", CASES, ids=CASE_IDS)
def test_batch_norm_training_gradients(shape, axis):
    x, gamma, beta = _data(shape, axis, seed=4)
    assert gradient_check(lambda t, g, b: BatchNormTraining(axis, EPS)(t, g, b), x, gamma, beta)


def test_batch_norm_training_gradient_wrt_x_alone():
    x, gamma, beta = _data((4, 3, 2, 3), 1, seed=5)
    assert gradient_check(lambda t: BatchNormTraining(1, EPS)(t, Tensor(gamma), Tensor(beta)), x)


def test_batch_norm_training_gradient_wrt_params_with_constant_x():
    x, gamma, beta = _data((6, 4), -1, seed=6)
    assert gradient_check(lambda g, b: BatchNormTraining(-1, EPS)(Tensor(x), g, b), gamma, beta)


@pytest.mark.parametrize("has_gamma, has_beta", [(False, True), (True, False), (False, False)])
@pytest.mark.parametrize("shape, axis", [((5, 3), -1), ((2, 3, 2, 2), 1)], ids=["2d", "4d-axis1"])
def test_batch_norm_training_gradients_without_gamma_or_beta(shape, axis, has_gamma, has_beta):
    x, gamma, beta = _data(shape, axis, seed=7)
    params = [p for p, used in ((gamma, has_gamma), (beta, has_beta)) if used]

    def fn(t, *ps):
        return BatchNormTraining(axis, EPS, has_gamma=has_gamma, has_beta=has_beta)(t, *ps)

    assert gradient_check(fn, x, *params)


def test_batch_norm_training_gradient_values_sum_to_zero_over_the_batch():
    """With epsilon 0 the x-gradient is orthogonal to constants and to x_hat along each channel."""
    x, gamma, beta = _data((8, 3), -1, seed=8)
    xt = Tensor(x, requires_grad=True)
    out = BatchNormTraining(-1, 0.0)(xt, Tensor(gamma), Tensor(beta))
    upstream = np.random.default_rng(9).standard_normal(out.shape)
    ops.sum(out * upstream).backward()
    np.testing.assert_allclose(xt.grad.sum(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose((xt.grad * reference_bn(x, -1, epsilon=0.0)).sum(axis=0), 0.0, atol=1e-12)


# ---- moments ----------------------------------------------------------------------------


@pytest.mark.parametrize("axes", [[0], [0, 2], [0, 1, 2], [1]], ids=str)
def test_moments_values(axes):
    x = np.random.default_rng(10).standard_normal((4, 3, 5))
    mean, variance = ops.moments(x, axes)
    np.testing.assert_allclose(mean.data, x.mean(axis=tuple(axes)), rtol=1e-12)
    np.testing.assert_allclose(variance.data, x.var(axis=tuple(axes)), rtol=1e-12)
    expected_shape = tuple(d for i, d in enumerate(x.shape) if i not in axes)
    assert mean.shape == variance.shape == expected_shape


def test_moments_keepdims():
    x = np.random.default_rng(11).standard_normal((4, 3, 5))
    mean, variance = ops.moments(x, [0, 2], keepdims=True)
    assert mean.shape == variance.shape == (1, 3, 1)
    np.testing.assert_allclose(mean.data, x.mean(axis=(0, 2), keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(variance.data, x.var(axis=(0, 2), keepdims=True), rtol=1e-12)


def test_moments_hand_computed_biased_variance():
    mean, variance = ops.moments(np.array([[1.0, 0.0], [3.0, 8.0]]), [0])
    np.testing.assert_array_equal(mean.data, [2.0, 4.0])
    np.testing.assert_array_equal(variance.data, [1.0, 16.0])


def test_moments_gradients():
    x = np.random.default_rng(12).standard_normal((4, 3))
    assert gradient_check(lambda t: ops.moments(t, [0])[0], x)
    assert gradient_check(lambda t: ops.moments(t, [0])[1], x)


# ---- batch_normalization ----------------------------------------------------------------


def _stats(channels, seed=13):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal(channels),  # mean
        rng.uniform(0.5, 2.0, channels),  # variance
        rng.standard_normal(channels),  # offset
        rng.uniform(0.5, 1.5, channels),  # scale
    )


@pytest.mark.parametrize("shape, axis", [((5, 3), -1), ((2, 3, 4, 5), 1), ((2, 3, 4, 5), -1)], ids=str)
def test_batch_normalization_values(shape, axis):
    x = np.random.default_rng(14).standard_normal(shape)
    mean, variance, offset, scale = _stats(shape[axis])
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    m, v, o, s = (a.reshape(bshape) for a in (mean, variance, offset, scale))
    out = ops.batch_normalization(x, mean, variance, axis, offset=offset, scale=scale, epsilon=1e-3)
    np.testing.assert_allclose(out.data, (x - m) / np.sqrt(v + 1e-3) * s + o, rtol=1e-12)
    bare = ops.batch_normalization(x, mean, variance, axis)
    np.testing.assert_allclose(bare.data, (x - m) / np.sqrt(v + 1e-3), rtol=1e-12)


def test_batch_normalization_hand_computed():
    x = np.array([[3.0, 5.0]])
    out = ops.batch_normalization(
        x, np.array([1.0, 1.0]), np.array([4.0, 0.25]), -1, offset=np.array([0.0, 1.0]), scale=[2.0, 1.0], epsilon=0.0
    )
    np.testing.assert_allclose(out.data, [[2.0, 9.0]])


def test_batch_normalization_default_epsilon_is_keras_1e_3():
    out = ops.batch_normalization(np.array([[1.0]]), np.array([0.0]), np.array([0.0]), -1)
    np.testing.assert_allclose(out.data, [[1.0 / np.sqrt(1e-3)]], rtol=1e-12)


@pytest.mark.parametrize("shape, axis", [((4, 3), -1), ((2, 3, 2, 2), 1)], ids=["2d", "4d-axis1"])
def test_batch_normalization_gradients(shape, axis):
    x = np.random.default_rng(15).standard_normal(shape)
    mean, variance, offset, scale = _stats(shape[axis], seed=16)

    def fn(t, m, v, o, s):
        return ops.batch_normalization(t, m, v, axis, offset=o, scale=s, epsilon=1e-3)

    assert gradient_check(fn, x, mean, variance, offset, scale)


def test_batch_normalization_gradient_without_offset_and_scale():
    x = np.random.default_rng(17).standard_normal((4, 3))
    mean, variance, _, _ = _stats(3, seed=18)
    assert gradient_check(lambda t, m, v: ops.batch_normalization(t, m, v, -1), x, mean, variance)


# ---- chunks of rows, on every core --------------------------------------------------------


@pytest.fixture
def small_chunks_on_all_cores(monkeypatch):
    """A few rows per chunk, chunks shared among the cores as inside fit (BLAS on one thread)."""
    monkeypatch.setattr(normalization, "CHUNK_BYTES", 64)
    before = get_blas_threads()
    set_blas_threads(1)
    with blas_threads_scope():
        if threads.chunk_threads() < 2:
            pytest.skip("BLAS has one thread here: chunks would run one after another")
        yield
    set_blas_threads(before)


@pytest.mark.parametrize("shape, axis", [((50, 3), -1), ((4, 5, 6, 3), -1), ((4, 3, 5, 6), 1)])
def test_batch_norm_in_chunks_on_all_cores_matches_formula_and_gradients(small_chunks_on_all_cores, shape, axis):
    x, gamma, beta = _data(shape, axis, seed=7)
    op = BatchNormTraining(axis, EPS)
    assert len(normalization.row_chunks(x.reshape(-1, shape[axis]))) > 4
    np.testing.assert_allclose(op(Tensor(x), Tensor(gamma), Tensor(beta)).data, reference_bn(x, axis, gamma, beta),
                               rtol=1e-12, atol=1e-12)  # fmt: skip
    assert gradient_check(lambda t, g, b: BatchNormTraining(axis, EPS)(t, g, b), x, gamma, beta)


@pytest.mark.parametrize("shape, axis", [((50, 3), -1), ((4, 3, 5, 6), 1)])
def test_batch_normalization_in_chunks_matches_formula_and_gradients(small_chunks_on_all_cores, shape, axis):
    x = np.random.default_rng(19).standard_normal(shape)
    mean, variance, offset, scale = _stats(shape[axis], seed=20)
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    m, v, o, s = (a.reshape(bshape) for a in (mean, variance, offset, scale))
    assert len(normalization.row_chunks(np.moveaxis(x, axis, -1).reshape(-1, shape[axis]))) > 4
    out = ops.batch_normalization(x, mean, variance, axis, offset=offset, scale=scale)
    np.testing.assert_allclose(out.data, (x - m) / np.sqrt(v + 1e-3) * s + o, rtol=1e-12, atol=1e-12)

    def fn(t, mu, var, off, sc):
        return ops.batch_normalization(t, mu, var, axis, offset=off, scale=sc)

    assert gradient_check(fn, x, mean, variance, offset, scale)


@pytest.mark.parametrize(
    ("rows", "channels", "fold"), [(4096, 16, 16), (96, 16, 16), (100, 16, 4), (7, 16, 1), (64, 256, 1)]
)
def test_narrow_rows_fold_into_wide_ones_by_a_power_of_two_dividing_them(rows, channels, fold):
    assert normalization._fold(rows, channels) == fold


def test_batch_norm_of_folded_rows_matches_float64_formula_and_gradients():
    """ResNet's 16 channels, 8x8 images: rows folded 16 at a time, in chunks on every core as in fit."""
    x, gamma, beta = _data((4, 8, 8, 16), -1, seed=21)
    assert normalization._fold(4 * 8 * 8, 16) == 16
    y = BatchNormTraining(-1, EPS)(Tensor(x), Tensor(gamma), Tensor(beta))
    np.testing.assert_allclose(y.data, reference_bn(x, -1, gamma, beta), rtol=1e-12, atol=1e-12)
    assert gradient_check(lambda t, g, b: BatchNormTraining(-1, EPS)(t, g, b), x, gamma, beta)
    mean, variance, offset, scale = _stats(16, seed=22)
    assert gradient_check(lambda t, s: ops.batch_normalization(t, mean, variance, -1, offset, s), x, scale)


def test_batch_norm_in_chunks_gives_the_same_bits_every_run(small_chunks_on_all_cores):
    x, gamma, beta = (a.astype(np.float32) for a in _data((300, 4), -1, seed=8))
    gy = np.random.default_rng(9).standard_normal(x.shape).astype(np.float32)
    runs = []
    for _ in range(3):
        op = BatchNormTraining(-1, EPS)
        y = op(Tensor(x, requires_grad=True), Tensor(gamma, requires_grad=True), Tensor(beta, requires_grad=True))
        runs.append([y.data, *op.backward(gy)])
    for run in runs[1:]:
        for a, b in zip(runs[0], run, strict=True):
            np.testing.assert_array_equal(a, b)


def test_batch_norm_variance_stays_exact_far_from_zero():
    """Per-chunk deviations, not E[x^2] - E[x]^2: a float32 batch around 1e4 keeps its unit variance."""
    x = (1e4 + np.random.default_rng(10).standard_normal((20000, 2))).astype(np.float32)
    op = BatchNormTraining(-1, EPS)
    op(Tensor(x), Tensor(np.ones(2, np.float32)), Tensor(np.zeros(2, np.float32)))
    np.testing.assert_allclose(op.variance, x.astype(np.float64).var(axis=0), rtol=1e-4)


def test_chunk_sums_run_in_float32_only_for_short_float32_chunks():
    rng = np.random.default_rng(11)
    short = rng.standard_normal((normalization.OWN_PRECISION_ROWS, 8)).astype(np.float32)
    for block in (short, np.vstack([short, short[:1]]), short.astype(np.float16)):
        exact = block.astype(np.float64)
        np.testing.assert_allclose(normalization.column_sums(block), exact.sum(axis=0), rtol=1e-4, atol=1e-3)
        np.testing.assert_allclose(normalization.column_dots(block, block), (exact * exact).sum(axis=0), rtol=1e-5)
    assert normalization.column_sums(short).dtype == np.float32
    assert normalization.column_sums(short.astype(np.float16)).dtype == np.float64
    assert normalization.column_dots(np.vstack([short, short[:1]]), np.vstack([short, short[:1]])).dtype == np.float64


@pytest.mark.parametrize("shape, axis", [((12, 5), -1), ((4, 3, 3, 6), -1), ((3, 4, 5), 1)])
def test_batch_norm_with_relu_is_relu_of_batch_norm_and_passes_gradient_check(shape, axis):
    x, gamma, beta = _data(shape, axis, seed=12)
    y = BatchNormTraining(axis, EPS, relu=True)(Tensor(x), Tensor(gamma), Tensor(beta))
    np.testing.assert_allclose(y.data, np.maximum(reference_bn(x, axis, gamma, beta), 0), rtol=1e-12, atol=1e-12)
    assert gradient_check(lambda t, g, b: BatchNormTraining(axis, EPS, relu=True)(t, g, b), x, gamma, beta)
    assert gradient_check(lambda g, b: BatchNormTraining(axis, EPS, relu=True)(Tensor(x), g, b), gamma, beta)


def test_normalize_by_with_relu_is_relu_of_batch_normalization_and_passes_gradient_check():
    x, scale, offset = _data((6, 4, 5), -1, seed=13)
    mean, variance = np.full(5, 0.3), np.full(5, 1.7)
    plain = ops.batch_normalization(x, mean, variance, -1, offset, scale)
    fused = normalization.normalize_by(x, mean, variance, -1, offset, scale, 1e-3, relu=True)
    np.testing.assert_allclose(fused.numpy(), np.maximum(plain.numpy(), 0), rtol=1e-12)
    assert gradient_check(
        lambda t, s, o: normalization.normalize_by(t, mean, variance, -1, o, s, 1e-3, relu=True), x, scale, offset
    )
