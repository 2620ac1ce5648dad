"""ops.layer_normalization and ops.rms_normalization (the fused LayerNorm op): values and gradients."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check
from npkeras.ops.layer_normalization import LayerNorm

RNG = np.random.default_rng(0)


def reference_layer_norm(x, gamma, beta, axes, epsilon):
    mean = x.mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + epsilon)
    return y * gamma + beta


def test_layer_normalization_matches_keras_docstring_example():
    y = ops.layer_normalization(ops.arange(5, dtype="float32"))
    np.testing.assert_allclose(np.asarray(y), [-1.4142135, -0.70710677, 0.0, 0.7071067, 1.4142135], rtol=1e-6)
    assert y.dtype == np.float32


@pytest.mark.parametrize("axis", [-1, 1, [1, 2], [2, 1]])
def test_layer_normalization_values(axis):
    x = RNG.standard_normal((3, 4, 5))
    axes = tuple(sorted(a % 3 for a in ([axis] if isinstance(axis, int) else axis)))
    shape = tuple(x.shape[a] for a in axes)
    gamma, beta = RNG.standard_normal(shape), RNG.standard_normal(shape)
    bshape = [1, 1, 1]
    for a in axes:
        bshape[a] = x.shape[a]
    expected = reference_layer_norm(x, gamma.reshape(bshape), beta.reshape(bshape), axes, 1e-3)
    np.testing.assert_allclose(np.asarray(ops.layer_normalization(x, gamma, beta, axis, 1e-3)), expected, rtol=1e-10)


def test_rms_scaling_and_rms_normalization_values():
    x, gamma = RNG.standard_normal((3, 6)), RNG.standard_normal(6)
    var_scaled = x / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-3) * gamma  # Keras's deprecated rms_scaling
    got = ops.layer_normalization(x, gamma, None, -1, 1e-3, rms_scaling=True)
    np.testing.assert_allclose(np.asarray(got), var_scaled, rtol=1e-10)
    rms = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-7) * gamma
    np.testing.assert_allclose(np.asarray(ops.rms_normalization(x, gamma)), rms, rtol=1e-10)


@pytest.mark.parametrize("axis", [-1, 0, [1, 2]])
@pytest.mark.parametrize("center", [True, False])
def test_layer_normalization_gradients(axis, center):
    x = RNG.standard_normal((3, 4, 5))
    axes = [axis] if isinstance(axis, int) else axis
    shape = tuple(x.shape[a] for a in axes)
    gamma, beta = RNG.standard_normal(shape), RNG.standard_normal(shape)
    if center:
        gradient_check(lambda x, g, b: ops.layer_normalization(x, g, b, axis, 1e-3), x, gamma, beta)
    else:
        gradient_check(lambda x, g: ops.layer_normalization(x, g, None, axis, 1e-3), x, gamma)
    gradient_check(lambda x: ops.layer_normalization(x, axis=axis, epsilon=1e-3), x)


def test_rms_gradients():
    x, gamma = RNG.standard_normal((4, 6)), RNG.standard_normal(6)
    gradient_check(lambda x, g: ops.layer_normalization(x, g, None, -1, 1e-3, rms_scaling=True), x, gamma)
    gradient_check(lambda x, g: ops.rms_normalization(x, g, axis=-1), x, gamma)
    gradient_check(lambda x: ops.rms_normalization(x, axis=0, epsilon=1e-5), x)


def test_op_keeps_what_it_declares_and_float32_stays_float32():
    x = Tensor(RNG.standard_normal((2, 3)).astype(np.float32), requires_grad=True)
    op = LayerNorm([1], 1e-3, has_gamma=False, has_beta=False)
    y = op(x)
    assert y.dtype == np.float32
    (gx,) = [g for g in op.backward(np.ones((2, 3), np.float32))]
    assert gx.dtype == np.float32
    np.testing.assert_allclose(gx, 0, atol=1e-6)  # a shift of every value changes nothing
