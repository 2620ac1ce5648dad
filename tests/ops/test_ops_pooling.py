"""Max and average pooling ops: values against a loop reference, gradients, ties, 'same' counts, gaps."""

import itertools
import math

import numpy as np
import pytest

import npkeras
from npkeras.autograd import Tensor, gradient_check
from npkeras.autograd.engine import gradients
from npkeras.ops.pooling import AvgPool, MaxPool, average_pool, max_pool, pool_geometry

POOLS = {"max": max_pool, "avg": average_pool}


def tf_pads(n, p, s, padding):
    if padding == "valid":
        return 0, 0
    total = max((math.ceil(n / s) - 1) * s + p - n, 0)
    return total // 2, total - total // 2


def naive_pool2d(x, pool, strides, padding, mode):
    """Max or mean over the real (unpadded) pixels of each window, one window at a time."""
    b, h, w, c = x.shape
    strides = pool if strides is None else strides
    (top, bottom), (left, right) = tf_pads(h, pool[0], strides[0], padding), tf_pads(w, pool[1], strides[1], padding)
    oh = (h + top + bottom - pool[0]) // strides[0] + 1
    ow = (w + left + right - pool[1]) // strides[1] + 1
    y = np.zeros((b, oh, ow, c))
    for r in range(oh):
        for q in range(ow):
            r0, q0 = r * strides[0] - top, q * strides[1] - left
            window = x[:, max(r0, 0) : r0 + pool[0], max(q0, 0) : q0 + pool[1]]
            y[:, r, q] = window.max(axis=(1, 2)) if mode == "max" else window.mean(axis=(1, 2))
    return y


def naive_pool1d(x, pool, stride, padding, mode):
    return naive_pool2d(x[:, None], (1, pool), None if stride is None else (1, stride), padding, mode)[:, 0]


def as_pair(v):
    return v if v is None or isinstance(v, tuple) else (v, v)


def test_reference_on_a_hand_computed_case():
    x = np.arange(25.0).reshape(1, 5, 5, 1)
    np.testing.assert_array_equal(naive_pool2d(x, (2, 2), None, "valid", "max")[0, :, :, 0], [[6, 8], [16, 18]])
    same = naive_pool2d(x, (3, 3), (2, 2), "same", "avg")[0, :, :, 0]
    assert same[0, 0] == np.mean([0, 1, 5, 6]) and same[1, 1] == 12.0


# ---- forward over a grid ----------------------------------------------------------------

GRID_2D = [
    (size, pool, strides, padding, mode)
    for size, pool, strides, padding, mode in itertools.product(
        [(5, 5), (6, 7)], [1, 2, 3, (2, 3)], [None, 1, 2, 3], ["valid", "same"], ["max", "avg"]
    )
]


@pytest.mark.parametrize("size, pool, strides, padding, mode", GRID_2D)
def test_pool2d_matches_the_loop_reference(size, pool, strides, padding, mode):
    x = np.random.default_rng(0).standard_normal((2, *size, 3))
    y = POOLS[mode](x, pool, strides, padding)
    expected = naive_pool2d(x, as_pair(pool), as_pair(strides), padding, mode)
    assert isinstance(y, npkeras.Tensor)
    assert y.shape == expected.shape
    if padding == "same":
        s = as_pair(strides) or as_pair(pool)
        assert y.shape[1:3] == (math.ceil(size[0] / s[0]), math.ceil(size[1] / s[1]))
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-12, atol=1e-15)


GRID_1D = list(itertools.product([7, 8], [1, 2, 3], [None, 1, 2, 3], ["valid", "same"], ["max", "avg"]))


@pytest.mark.parametrize("steps, pool, stride, padding, mode", GRID_1D)
def test_pool1d_matches_the_loop_reference(steps, pool, stride, padding, mode):
    x = np.random.default_rng(1).standard_normal((2, steps, 2))
    y = POOLS[mode](x, pool, stride, padding)
    expected = naive_pool1d(x, pool, stride, padding, mode)
    assert y.shape == expected.shape
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-12, atol=1e-15)


def test_float32_stays_float32():
    x = np.random.default_rng(2).standard_normal((2, 6, 6, 3)).astype(np.float32)
    for mode, fn in POOLS.items():
        y = fn(x, 3, 2, "same")
        assert y.dtype == np.float32
        np.testing.assert_allclose(np.asarray(y), naive_pool2d(x, (3, 3), (2, 2), "same", mode), rtol=1e-6)


def test_max_pool_same_padding_never_picks_the_padding():
    x = -np.ones((1, 5, 5, 1)) - np.arange(25.0).reshape(1, 5, 5, 1)  # all negative: a zero pad would win
    y = np.asarray(max_pool(x, 2, 2, "same"))
    np.testing.assert_array_equal(y[0, :, :, 0], [[-1, -3, -5], [-11, -13, -15], [-21, -23, -25]])


@pytest.mark.parametrize(
    "shape, kwargs, match",
    [
        ((4, 4), {}, "rank"),
        ((1, 2, 2, 4, 4, 2), {}, "rank"),  # 3-D pooling is supported; 4-D is not
        ((1, 4, 4, 2), {"padding": "causal"}, "padding"),
        ((1, 4, 4, 2), {"data_format": "channels_first"}, "channels_last"),
        ((1, 4, 4, 2), {"pool_size": 0}, "pool_size"),
        ((1, 4, 4, 2), {"pool_size": (2, 2, 2)}, "pool_size"),
        ((1, 4, 4, 2), {"strides": -1}, "strides"),
    ],
)
def test_pool_bad_arguments(shape, kwargs, match):
    kwargs = {"pool_size": 2, **kwargs}
    for fn in POOLS.values():
        with pytest.raises(ValueError, match=match):
            fn(np.zeros(shape), **kwargs)


def test_pool_geometry():
    assert pool_geometry((2, 5, 5, 3), 3, 2, "same") == ((3, 3), (2, 2), ((1, 1), (1, 1)))
    assert pool_geometry((2, 6, 7, 3), (2, 3), None, "valid") == ((2, 3), (2, 3), ((0, 0), (0, 0)))
    assert pool_geometry((2, 7, 3), 2, 3, "same") == ((1, 2), (1, 3), ((0, 0), (0, 1)))


# ---- gradients --------------------------------------------------------------------------

GRAD_2D = list(itertools.product([1, 2, 3, (2, 3)], [None, 1, 2, 3], ["valid", "same"], ["max", "avg"]))


@pytest.mark.parametrize("pool, strides, padding, mode", GRAD_2D)
def test_pool2d_gradients(pool, strides, padding, mode):
    x = np.random.default_rng(3).standard_normal((1, 5, 6, 2))  # distinct values: no ties
    assert gradient_check(lambda t: POOLS[mode](t, pool, strides, padding), x)


GRAD_1D = list(itertools.product([1, 2, 3], [None, 1, 2, 3], ["valid", "same"], ["max", "avg"]))


@pytest.mark.parametrize("pool, stride, padding, mode", GRAD_1D)
def test_pool1d_gradients(pool, stride, padding, mode):
    x = np.random.default_rng(4).standard_normal((2, 7, 2))
    assert gradient_check(lambda t: POOLS[mode](t, pool, stride, padding), x)


def input_gradient(fn, x, gy=None):
    xt = Tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    y = fn(xt)
    (gx,) = gradients(y, [xt], output_gradient=np.ones(y.shape) if gy is None else gy)
    return gx


# ---- max-pool ties ----------------------------------------------------------------------


def test_tie_sends_the_whole_gradient_to_the_first_maximum():
    gx = input_gradient(lambda t: max_pool(t, 2), np.full((1, 2, 2, 1), 3.0))
    np.testing.assert_array_equal(gx[0, :, :, 0], [[1, 0], [0, 0]])


@pytest.mark.parametrize(
    "window, expected",
    [
        ([[0, 5], [5, 5]], [[0, 1], [0, 0]]),
        ([[1, 2], [3, 3]], [[0, 0], [1, 0]]),  # tie on the last two positions: the earlier one
        ([[1, 2], [2, 0]], [[0, 1], [0, 0]]),
        ([[7, 0], [0, 7]], [[1, 0], [0, 0]]),
        ([[0, 0], [0, 9]], [[0, 0], [0, 1]]),  # a lone maximum at the last position
    ],
)
def test_tie_order_is_row_major(window, expected):
    x = np.array(window, dtype=float).reshape(1, 2, 2, 1)
    for strides in (None, 1):  # the tiling path and the overlapping path
        gx = input_gradient(lambda t, s=strides: max_pool(t, 2, s), x)
        np.testing.assert_array_equal(gx[0, :, :, 0], expected)


def test_ties_with_overlapping_windows_each_pick_their_own_first_maximum():
    gx = input_gradient(lambda t: max_pool(t, 2, 1), np.ones((1, 3, 3, 1)))
    # four windows, each sends its gradient to its own top-left pixel
    np.testing.assert_array_equal(gx[0, :, :, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_ties_in_a_row_of_a_1d_pool_and_per_channel():
    x = np.array([[[2.0, 1.0], [2.0, 4.0], [0.0, 4.0], [0.0, 4.0]]])  # (1, 4 steps, 2 channels)
    gx = input_gradient(lambda t: max_pool(t, 2), x, gy=np.array([[[10.0, 20.0], [30.0, 40.0]]]))
    np.testing.assert_array_equal(gx[0], [[10, 0], [0, 20], [30, 40], [0, 0]])


def test_max_gradient_is_the_upstream_routed_to_the_maxima():
    x = np.random.default_rng(5).standard_normal((2, 4, 4, 3))
    gy = np.random.default_rng(6).standard_normal((2, 2, 2, 3))
    gx = input_gradient(lambda t: max_pool(t, 2), x, gy)
    blocks = x.reshape(2, 2, 2, 2, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(2, 2, 2, 4, 3)
    is_max = blocks == blocks.max(axis=3, keepdims=True)
    expected = (is_max * gy[:, :, :, None]).reshape(2, 2, 2, 2, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(x.shape)
    np.testing.assert_array_equal(gx, expected)
    np.testing.assert_allclose(gx.sum(axis=(1, 2)), gy.sum(axis=(1, 2)))


# ---- 'same' average pooling counts ------------------------------------------------------


def test_same_average_divides_by_the_real_pixels_only():
    x = np.random.default_rng(7).standard_normal((1, 5, 5, 1))
    y = np.asarray(average_pool(x, 3, 2, "same"))[0, :, :, 0]
    # pads (1, 1): output (r, q) covers input rows 2r-1 .. 2r+1, clipped to the image
    assert y[0, 0] == pytest.approx(x[0, 0:2, 0:2, 0].mean())  # a 2x2 corner block
    assert y[0, 1] == pytest.approx(x[0, 0:2, 1:4, 0].mean())  # a 2x3 edge block
    assert y[1, 1] == pytest.approx(x[0, 1:4, 1:4, 0].mean())  # a full 3x3 window
    assert y[2, 2] == pytest.approx(x[0, 3:5, 3:5, 0].mean())


def test_same_average_of_a_constant_is_that_constant_everywhere():
    for shape, pool, strides in [((1, 5, 5, 2), 3, 2), ((2, 6, 7, 1), (2, 3), 1), ((1, 4, 4, 1), 4, 3)]:
        y = np.asarray(average_pool(np.full(shape, 2.5), pool, strides, "same"))
        np.testing.assert_allclose(y, 2.5, rtol=1e-12)


def test_same_average_gradient_shares_by_the_real_count():
    gx = input_gradient(lambda t: average_pool(t, 3, 2, "same"), np.zeros((1, 5, 5, 1)))
    # pixel (0, 0) lies only in window (0, 0), of 4 real pixels; pixel (1, 1) in four windows of 4, 6, 6 and 9
    assert gx[0, 0, 0, 0] == pytest.approx(1 / 4)
    assert gx[0, 1, 1, 0] == pytest.approx(1 / 4 + 1 / 6 + 1 / 6 + 1 / 9)
    assert gx.sum() == pytest.approx(9.0)  # each of the 9 windows hands out exactly its upstream gradient


# ---- windows that leave gaps ------------------------------------------------------------


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pixels_between_windows_get_zero_gradient(mode):
    x = np.random.default_rng(8).standard_normal((2, 7, 7, 2))
    gx = input_gradient(lambda t: POOLS[mode](t, 2, 3), x)  # windows 0-1 and 3-4; 2, 5 and 6 are skipped
    gaps = [2, 5, 6]
    assert np.all(gx[:, gaps] == 0) and np.all(gx[:, :, gaps] == 0)
    inside = np.ix_(range(2), [0, 1, 3, 4], [0, 1, 3, 4], range(2))
    if mode == "avg":
        np.testing.assert_array_equal(gx[inside], 0.25)
    else:
        assert gx[inside].sum() == 2 * 2 * 2 * 2  # one winner per window
        assert set(np.unique(gx[inside])) == {0.0, 1.0}


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_rows_and_columns_no_tiled_window_reaches_get_zero_gradient(mode):
    x = np.random.default_rng(9).standard_normal((1, 5, 7, 1))
    gx = input_gradient(lambda t: POOLS[mode](t, 2), x)  # windows tile 4x6; row 4 and column 6 are left over
    assert np.all(gx[:, 4] == 0) and np.all(gx[:, :, 6] == 0)
    assert gx.sum() == pytest.approx(2 * 3)


def test_op_classes_directly():
    x = np.arange(16.0).reshape(1, 4, 4, 1)
    geometry = pool_geometry(x.shape, 2, None, "valid")
    np.testing.assert_array_equal(MaxPool(*geometry)(Tensor(x)).data[0, :, :, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(AvgPool(*geometry)(Tensor(x)).data[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])
