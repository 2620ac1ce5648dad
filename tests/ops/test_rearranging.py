"""tile, repeat, split, flip, roll, swapaxes, moveaxis, append/hstack/vstack, meshgrid, copy, size, ndim."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def x234(seed=0):
    return np.random.default_rng(seed).standard_normal((2, 3, 4))


@pytest.mark.parametrize("reps", [2, (2, 1), (1, 2, 3), (2, 1, 1, 2)], ids=str)
def test_tile(reps):
    x = x234()
    np.testing.assert_array_equal(ops.tile(x, reps).data, np.tile(x, reps))
    assert gradient_check(lambda t: ops.tile(t, reps), x)


@pytest.mark.parametrize("repeats, axis", [(2, None), (3, 0), ([1, 0, 2], 1), ([2, 1, 1, 3], -1), (0, 1)], ids=str)
def test_repeat(repeats, axis):
    x = x234(1)
    np.testing.assert_array_equal(ops.repeat(x, repeats, axis=axis).data, np.repeat(x, repeats, axis=axis))
    if np.sum(repeats) > 0:
        assert gradient_check(lambda t: ops.repeat(t, repeats, axis=axis), x)


def test_repeat_gradient_sums_copies_and_skips_empty_runs():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    ops.sum(ops.multiply(ops.repeat(x, [2, 0, 3]), np.arange(1.0, 6.0))).backward()
    np.testing.assert_array_equal(x.grad, [1 + 2, 0, 3 + 4 + 5])


def test_repeat_bad_repeats():
    with pytest.raises(ValueError, match="repeats"):
        ops.repeat(x234(), [1, 2], axis=1)
    with pytest.raises(np.exceptions.AxisError, match="repeat"):
        ops.repeat(x234(), 2, axis=3)


def test_split_sections_and_points():
    x = x234(2)
    for got, want in zip(ops.split(x, 2, axis=-1), np.split(x, 2, axis=-1)):
        np.testing.assert_array_equal(got.data, want)
    for got, want in zip(ops.split(x, [1, 2], axis=1), np.split(x, [1, 2], axis=1)):
        np.testing.assert_array_equal(got.data, want)
    assert gradient_check(lambda t: ops.split(t, 2, axis=-1)[1], x)  # the unused part gets zeros
    assert gradient_check(lambda t: ops.multiply(ops.split(t, [1], axis=1)[0], ops.split(t, [1], axis=1)[1][:, :1]), x)
    parts = ops.array_split(np.arange(7.0), 3)
    assert [p.shape[0] for p in parts] == [3, 2, 2]


def test_split_unequal_sections_error():
    with pytest.raises(ValueError, match="equal sections"):
        ops.split(x234(), 3, axis=-1)


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)], ids=str)
def test_flip(axis):
    x = x234(3)
    np.testing.assert_array_equal(ops.flip(x, axis).data, np.flip(x, axis))
    assert gradient_check(lambda t: ops.flip(t, axis), x)


@pytest.mark.parametrize("shift, axis", [(3, None), (1, 0), (-2, -1), ((1, 2), (0, 2))], ids=str)
def test_roll(shift, axis):
    x = x234(4)
    np.testing.assert_array_equal(ops.roll(x, shift, axis).data, np.roll(x, shift, axis))
    assert gradient_check(lambda t: ops.roll(t, shift, axis), x)


def test_bad_axes_raise_axis_error_naming_the_op():
    with pytest.raises(np.exceptions.AxisError, match="flip"):
        ops.flip(x234(), 3)
    with pytest.raises(np.exceptions.AxisError, match="swapaxes"):
        ops.swapaxes(x234(), 0, -4)
    with pytest.raises(np.exceptions.AxisError, match="roll"):
        ops.roll(x234(), 1, 5)


def test_swapaxes_and_moveaxis():
    x = x234(5)
    np.testing.assert_array_equal(ops.swapaxes(x, 0, -1).data, np.swapaxes(x, 0, -1))
    np.testing.assert_array_equal(ops.moveaxis(x, 0, -1).data, np.moveaxis(x, 0, -1))
    np.testing.assert_array_equal(ops.moveaxis(x, [0, 1], [-1, 0]).data, np.moveaxis(x, [0, 1], [-1, 0]))
    assert gradient_check(lambda t: ops.swapaxes(t, 1, 2), x)
    assert gradient_check(lambda t: ops.moveaxis(t, [0, 2], [1, 0]), x)


def test_append_hstack_vstack():
    a, b = np.arange(3.0), np.arange(4.0)
    x = x234(6)
    np.testing.assert_array_equal(ops.append(x, x).data, np.append(x, x))
    np.testing.assert_array_equal(ops.append(x, x, axis=1).data, np.append(x, x, axis=1))
    np.testing.assert_array_equal(ops.hstack([a, b]).data, np.hstack([a, b]))
    np.testing.assert_array_equal(ops.hstack([x, x]).data, np.hstack([x, x]))
    np.testing.assert_array_equal(ops.vstack([a, a]).data, np.vstack([a, a]))
    assert gradient_check(lambda s, t: ops.vstack([s, t]), x[0], x[1])
    assert gradient_check(lambda s, t: ops.append(s, t), x[0], x[1, :2])


@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid(indexing):
    a, b, c = np.arange(2.0), np.arange(3.0), np.arange(4.0)
    for got, want in zip(ops.meshgrid(a, b, c, indexing=indexing), np.meshgrid(a, b, c, indexing=indexing)):
        np.testing.assert_array_equal(got.data, want)
    assert gradient_check(lambda s, t: ops.meshgrid(s, t, indexing=indexing)[0], a, b)
    with pytest.raises(ValueError, match="indexing"):
        ops.meshgrid(a, b, indexing="yx")


def test_copy_size_ndim():
    x = x234(7)
    y = ops.copy(x)
    assert y.data is not x and np.array_equal(y.data, x)
    assert gradient_check(ops.copy, x)
    assert ops.size(x) == 24 and ops.ndim(x) == 3 and ops.size(Tensor(np.zeros(()))) == 1


@pytest.mark.parametrize("k", [-1, 0, 1, 2, 3, 5])
@pytest.mark.parametrize("axes", [(0, 1), (1, 2), (2, 0)], ids=str)
def test_rot90(k, axes):
    x = x234(8)
    np.testing.assert_array_equal(ops.rot90(x, k, axes).data, np.rot90(x, k, axes))
    assert gradient_check(lambda t: ops.rot90(t, k, axes), x)


def test_rot90_same_axes_error():
    with pytest.raises(ValueError, match="different axes"):
        ops.rot90(x234(), 1, (1, -2))


def test_fliplr_flipud_and_the_axis_splits():
    x = x234(9)
    np.testing.assert_array_equal(ops.fliplr(x).data, np.fliplr(x))
    np.testing.assert_array_equal(ops.flipud(x).data, np.flipud(x))
    for ours, theirs in [(ops.hsplit, np.hsplit), (ops.vsplit, np.vsplit), (ops.dsplit, np.dsplit)]:
        sections = [1] if theirs is np.hsplit else 2
        for got, want in zip(ours(x, sections), theirs(x, sections)):
            np.testing.assert_array_equal(got.data, want)
    for got, want in zip(ops.hsplit(np.arange(6.0), 3), np.hsplit(np.arange(6.0), 3)):
        np.testing.assert_array_equal(got.data, want)
    with pytest.raises(ValueError, match="rank"):
        ops.dsplit(x[0], 2)


def test_dstack_and_diff():
    a, m, x = np.arange(3.0), x234(10)[0], x234(11)
    np.testing.assert_array_equal(ops.dstack([a, a]).data, np.dstack([a, a]))
    np.testing.assert_array_equal(ops.dstack([m, m]).data, np.dstack([m, m]))
    np.testing.assert_array_equal(ops.dstack([x, x]).data, np.dstack([x, x]))
    assert gradient_check(lambda s, t: ops.dstack([s, t]), m, m + 1)
    for n, axis in [(1, -1), (2, 1), (0, 0)]:
        np.testing.assert_allclose(ops.diff(x, n, axis).data, np.diff(x, n, axis))
    assert gradient_check(lambda t: ops.diff(t, 2, 1), x)


def test_repeat_by_one_count_matches_numpy_and_its_gradient_sums_each_run():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    np.testing.assert_array_equal(ops.repeat(Tensor(x), 3, axis=1).data, np.repeat(x, 3, axis=1))
    assert gradient_check(lambda t: ops.repeat(t, 3, axis=1), x)
    assert gradient_check(lambda t: ops.repeat(t, 2, axis=-1), x)
