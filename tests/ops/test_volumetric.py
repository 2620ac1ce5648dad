"""3-D convolution and pooling (`ops.conv`, `ops.max_pool`, `ops.average_pool` on rank-5 inputs) and
`DepthWindows`: against references written with loops over the kernel, gradients."""

import itertools
import math

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check
from npkeras.ops.volumetric import DepthOverlapAdd, DepthWindows


def tf_pads(n, k, s, d, padding):
    span = (k - 1) * d + 1
    if padding == "valid":
        return 0, 0
    total = max((math.ceil(n / s) - 1) * s + span - n, 0)
    return total // 2, total - total // 2


def conv3d_reference(x, kernel, strides, padding, dilation):
    """sum over taps (i, j, l) of the shifted input times kernel[i, j, l], with TensorFlow's padding."""
    pads = [tf_pads(n, k, s, d, padding) for n, k, s, d in zip(x.shape[1:4], kernel.shape[:3], strides, dilation)]
    xp = np.pad(x, [(0, 0), *pads, (0, 0)])
    out = [(xp.shape[1 + a] - (kernel.shape[a] - 1) * dilation[a] - 1) // strides[a] + 1 for a in range(3)]
    y = np.zeros((x.shape[0], *out, kernel.shape[-1]))
    for taps in itertools.product(*(range(k) for k in kernel.shape[:3])):
        index = tuple(
            slice(t * d, t * d + s * (o - 1) + 1, s) for t, d, s, o in zip(taps, dilation, strides, out, strict=True)
        )
        y += xp[(slice(None), *index)] @ kernel[taps]
    return y


CONV_CASES = [  # (input shape, kernel shape, strides, padding, dilation)
    ((2, 5, 4, 6, 2), (3, 3, 3, 2, 3), (1, 1, 1), "valid", (1, 1, 1)),
    ((2, 5, 4, 6, 2), (2, 3, 2, 2, 3), (2, 1, 3), "same", (1, 1, 1)),
    ((2, 5, 4, 6, 2), (2, 2, 2, 2, 2), (1, 1, 1), "valid", (2, 1, 2)),
    ((1, 3, 3, 3, 2), (1, 1, 1, 2, 4), (1, 1, 1), "same", (1, 1, 1)),
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", CONV_CASES)
def test_conv3d_matches_the_loop_reference(x_shape, k_shape, strides, padding, dilation):
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    y = np.asarray(ops.conv(x, kernel, strides, padding, dilation_rate=dilation))
    np.testing.assert_allclose(y, conv3d_reference(x, kernel, strides, padding, dilation), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", CONV_CASES)
def test_conv3d_gradients(x_shape, k_shape, strides, padding, dilation):
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    gradient_check(lambda a, k: ops.conv(a, k, strides, padding, dilation_rate=dilation), x, kernel)


def test_conv3d_refuses_causal_padding():
    with pytest.raises(ValueError, match="valid"):
        ops.conv(np.zeros((1, 3, 3, 3, 1)), np.zeros((2, 2, 2, 1, 1)), padding="causal")


@pytest.mark.parametrize("stride, dilation, pads", [(1, 1, (0, 0)), (2, 1, (1, 0)), (1, 2, (1, 1))])
def test_depth_windows_and_their_adjoint(stride, dilation, pads):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 5, 2, 3, 2))
    windows = DepthWindows(2, stride, dilation, pads).forward(x)
    od = (5 + sum(pads) - dilation - 1) // stride + 1
    assert windows.shape == (2 * od, 2, 3, 4)
    xp = np.pad(x, [(0, 0), pads, (0, 0), (0, 0), (0, 0)])
    first = windows.reshape(2, od, 2, 3, 2, 2)[:, :, :, :, 1]  # tap 1 of every output depth
    np.testing.assert_array_equal(first, xp[:, dilation : dilation + stride * (od - 1) + 1 : stride])
    gradient_check(lambda a: DepthWindows(2, stride, dilation, pads)(a), x)
    gradient_check(lambda a: DepthOverlapAdd(x.shape, 2, stride, dilation, pads)(a), windows)


def pool3d_reference(x, pool, strides, padding, average):
    pads = [tf_pads(n, p, s, 1, padding) for n, p, s in zip(x.shape[1:4], pool, strides)]
    fill = 0.0 if average else -np.inf
    xp = np.pad(x, [(0, 0), *pads, (0, 0)], constant_values=fill)
    real = np.pad(np.ones_like(x), [(0, 0), *pads, (0, 0)])
    out = [(xp.shape[1 + a] - pool[a]) // strides[a] + 1 for a in range(3)]
    views = []
    for taps in itertools.product(*(range(p) for p in pool)):
        index = (slice(None), *(slice(t, t + s * (o - 1) + 1, s) for t, s, o in zip(taps, strides, out)))
        views.append((xp[index], real[index]))
    if average:
        return sum(v for v, _ in views) / sum(r for _, r in views)
    return np.max([v for v, _ in views], axis=0)


@pytest.mark.parametrize("average", [False, True])
@pytest.mark.parametrize(
    "pool, strides, padding",
    [((2, 2, 2), (2, 2, 2), "valid"), ((3, 2, 3), (2, 1, 2), "same"), ((3, 3, 3), (2, 2, 2), "same")],
)
def test_pool3d_matches_the_loop_reference(pool, strides, padding, average):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 5, 4, 6, 2))
    fn = ops.average_pool if average else ops.max_pool
    y = np.asarray(fn(x, pool, strides, padding))
    np.testing.assert_allclose(y, pool3d_reference(x, pool, strides, padding, average), rtol=1e-12)
    gradient_check(lambda a: fn(a, pool, strides, padding), x)
