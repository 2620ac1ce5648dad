"""reshape, transpose, getitem, broadcast_to, concatenate, stack, expand_dims, squeeze."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def x234(seed=0):
    return np.random.default_rng(seed).standard_normal((2, 3, 4))


@pytest.mark.parametrize("shape", [(6, 4), (4, -1), (-1,), (2, 12), (24, 1), (2, None, 2)], ids=str)
def test_reshape(shape):
    x = x234()
    out = ops.reshape(Tensor(x), shape)
    np.testing.assert_array_equal(out.data, x.reshape(tuple(-1 if d is None else d for d in shape)))
    assert gradient_check(lambda t: ops.reshape(t, shape), x)


def test_reshape_size_mismatch():
    with pytest.raises(ValueError, match="reshape"):
        ops.reshape(Tensor(np.zeros(6)), (4, 2))


@pytest.mark.parametrize("axes", [None, (0, 2, 1), (2, 0, 1), (1, 2, 0)], ids=str)
def test_transpose(axes):
    x = x234()
    np.testing.assert_array_equal(ops.transpose(Tensor(x), axes).data, np.transpose(x, axes))
    assert gradient_check(lambda t: ops.transpose(t, axes), x)


@pytest.mark.parametrize("axes", [(0, -1, 1), (-1, -3, -2)], ids=str)
def test_transpose_negative_axes(axes):
    x = x234()
    np.testing.assert_array_equal(ops.transpose(Tensor(x), axes).data, np.transpose(x, axes))
    assert gradient_check(lambda t: ops.transpose(t, axes), x)


KEYS = [
    (slice(1, None), slice(None, None, 2)),
    1,
    (0, 2),
    (Ellipsis, -1),
    (slice(None), slice(None, None, -1)),
    (None, 0),
    np.array([0, 0, 1]),
    [1, 1, 1, 0],
    (np.array([0, 1, 1]), np.array([2, 2, 0])),
    (slice(None), [2, 0, 2]),
    np.array([True, False]),
]


@pytest.mark.parametrize("key", KEYS, ids=lambda k: repr(k)[:30])
def test_getitem(key):
    x = x234(1)
    np.testing.assert_array_equal(ops.getitem(Tensor(x), key).data, x[np.array(key) if isinstance(key, list) else key])
    assert gradient_check(lambda t: t[key], x)


def test_getitem_repeated_indices_accumulate():
    x = Tensor(np.array([10.0, 20.0, 30.0]), requires_grad=True)
    ops.sum(x[np.array([0, 2, 0, 0])]).backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])


def test_getitem_boolean_mask_gradient():
    x = x234(2)
    mask = x > 0
    assert gradient_check(lambda t: t[mask] * 2.0, x)


@pytest.mark.parametrize(
    "src, dst", [((3, 1), (2, 3, 4)), ((4,), (3, 4)), ((), (2, 2)), ((1, 3, 1), (2, 3, 5))], ids=str
)
def test_broadcast_to(src, dst):
    x = np.random.default_rng(3).standard_normal(src)
    np.testing.assert_array_equal(ops.broadcast_to(Tensor(x), dst).data, np.broadcast_to(x, dst))
    assert gradient_check(lambda t: ops.broadcast_to(t, dst), x)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate(axis):
    r = np.random.default_rng(4)
    shapes = {
        0: [(1, 3, 4), (2, 3, 4), (3, 3, 4)],
        1: [(2, 1, 4), (2, 3, 4), (2, 2, 4)],
        -1: [(2, 3, 1), (2, 3, 2), (2, 3, 4)],
    }
    a, b, c = (r.standard_normal(s) for s in shapes[axis])
    out = ops.concatenate([Tensor(a), Tensor(b), Tensor(c)], axis=axis)
    np.testing.assert_array_equal(out.data, np.concatenate([a, b, c], axis=axis))
    assert gradient_check(lambda p, q, s: ops.concatenate([p, q, s], axis=axis), a, b, c)


def test_concatenate_with_a_constant():
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    out = ops.concatenate([np.zeros((1, 2)), x], axis=0)
    ops.sum(out * np.arange(6.0).reshape(3, 2)).backward()
    np.testing.assert_array_equal(x.grad, [[2.0, 3.0], [4.0, 5.0]])


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack(axis):
    r = np.random.default_rng(5)
    a, b, c = (r.standard_normal((3, 4)) for _ in range(3))
    out = ops.stack([Tensor(a), Tensor(b), Tensor(c)], axis=axis)
    np.testing.assert_array_equal(out.data, np.stack([a, b, c], axis=axis))
    assert gradient_check(lambda p, q, s: ops.stack([p, q, s], axis=axis), a, b, c)


@pytest.mark.parametrize("axis", [0, 1, -1, 3, (0, 2)], ids=str)
def test_expand_dims(axis):
    x = x234(6)
    np.testing.assert_array_equal(ops.expand_dims(Tensor(x), axis).data, np.expand_dims(x, axis))
    assert gradient_check(lambda t: ops.expand_dims(t, axis), x)


@pytest.mark.parametrize("axis", [None, 0, 2, -1, (0, 2)], ids=str)
def test_squeeze(axis):
    x = np.random.default_rng(7).standard_normal((1, 3, 1, 1))
    np.testing.assert_array_equal(ops.squeeze(Tensor(x), axis).data, np.squeeze(x, axis))
    assert gradient_check(lambda t: ops.squeeze(t, axis), x)


def test_squeeze_non_unit_axis_raises():
    with pytest.raises(ValueError):
        ops.squeeze(Tensor(np.zeros((2, 3))), 0)


def test_ravel_and_shape():
    x = x234(8)
    np.testing.assert_array_equal(ops.ravel(x).data, x.ravel())
    assert ops.shape(Tensor(x)) == (2, 3, 4)
    assert gradient_check(ops.ravel, x)


# ---- pad ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pad_width",
    [1, 0, ((1, 2), (0, 1), (2, 0)), [(0, 0), (3, 3), (0, 1)], ((1,), (2,), (0,)), (1, 2)],
    ids=str,
)
def test_pad_values_match_numpy(pad_width):
    x = x234(9)
    out = ops.pad(Tensor(x), pad_width)
    np.testing.assert_array_equal(out.data, np.pad(x, pad_width))
    assert gradient_check(lambda t: ops.pad(t, pad_width), x)


def test_pad_hand_computed():
    out = ops.pad(np.array([[1.0, 2.0]]), ((1, 0), (0, 2)))
    np.testing.assert_array_equal(out.data, [[0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 0.0, 0.0]])


def test_pad_int_width_pads_every_axis_on_both_sides():
    out = ops.pad(np.ones((2, 3)), 2)
    assert out.shape == (6, 7)
    assert out.data.sum() == 6.0
    np.testing.assert_array_equal(out.data[2:4, 2:5], 1.0)


def test_pad_constant_values():
    out = ops.pad(np.array([[1.0, 2.0]]), ((0, 1), (1, 0)), constant_values=5)
    np.testing.assert_array_equal(out.data, [[5.0, 1.0, 2.0], [5.0, 5.0, 5.0]])


def test_pad_keeps_float32():
    out = ops.pad(np.ones((2, 2), np.float32), 1)
    assert out.dtype == np.float32


def test_pad_gradient_is_the_inner_slice():
    x = Tensor(np.zeros((2, 2)), requires_grad=True)
    upstream = np.arange(5 * 3, dtype=np.float64).reshape(5, 3)
    ops.sum(ops.pad(x, ((1, 2), (0, 1))) * upstream).backward()
    np.testing.assert_array_equal(x.grad, upstream[1:3, 0:2])


@pytest.mark.parametrize("pad_width", [-1, ((0, 0), (-1, 1)), ((1, 1), (0, -2))], ids=str)
def test_pad_negative_width_raises(pad_width):
    with pytest.raises(ValueError, match="pad_width"):
        ops.pad(np.ones((2, 2)), pad_width)


@pytest.mark.parametrize("mode", ["reflect", "symmetric", "edge"])
def test_pad_mode_other_than_constant_raises(mode):
    with pytest.raises(ValueError, match=mode):
        ops.pad(np.ones((2, 2)), 1, mode=mode)
