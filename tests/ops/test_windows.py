"""Sliding-window geometry: TensorFlow's padding rule, output sizes, slices and spatial padding."""

import math

import numpy as np
import pytest

from npkeras.ops.windows import (
    normalize_tuple,
    output_size,
    pad_spatial,
    padding_amounts,
    unpad_spatial,
    window_slice,
)

# ---- padding_amounts --------------------------------------------------------------------

# (size, window, stride, dilation) -> (before, after), each derived by hand from TensorFlow's rule:
# out = ceil(n / s); total = max((out - 1) * s + (k - 1) * d + 1 - n, 0); before = total // 2.
SAME_CASES = [
    ((5, 3, 1, 1), (1, 1)),  # out 5, total 4 + 3 - 5 = 2
    ((5, 2, 1, 1), (0, 1)),  # out 5, total 4 + 2 - 5 = 1: the odd pixel goes after
    ((6, 3, 2, 1), (0, 1)),  # out 3, total 4 + 3 - 6 = 1
    ((5, 3, 2, 1), (1, 1)),  # out 3, total 4 + 3 - 5 = 2
    ((7, 4, 3, 1), (1, 2)),  # out 3, total 6 + 4 - 7 = 3
    ((5, 3, 1, 2), (2, 2)),  # span 5, out 5, total 4 + 5 - 5 = 4
    ((8, 2, 1, 3), (1, 2)),  # span 4, out 8, total 7 + 4 - 8 = 3
    ((4, 1, 2, 1), (0, 0)),  # out 2, total max(2 + 1 - 4, 0) = 0
    ((28, 3, 1, 1), (1, 1)),
    ((13, 2, 2, 1), (0, 1)),  # out 7, total 12 + 2 - 13 = 1
    ((2, 5, 1, 1), (2, 2)),  # window larger than the input: out 2, total 1 + 5 - 2 = 4
    ((1, 3, 1, 1), (1, 1)),
    ((6, 2, 2, 1), (0, 0)),  # windows tile the input exactly
    ((10, 5, 4, 1), (1, 2)),  # out 3, total 8 + 5 - 10 = 3
]


@pytest.mark.parametrize("args, expected", SAME_CASES, ids=[str(c[0]) for c in SAME_CASES])
def test_same_padding_follows_tensorflow(args, expected):
    assert padding_amounts(*args, "same") == expected


@pytest.mark.parametrize(
    "args, expected",
    [((5, 3, 1, 1), (2, 0)), ((5, 3, 1, 2), (4, 0)), ((9, 1, 1, 1), (0, 0)), ((6, 2, 1, 4), (4, 0))],
)
def test_causal_padding_goes_before_only(args, expected):
    assert padding_amounts(*args, "causal") == expected


@pytest.mark.parametrize("args", [(5, 3, 1, 1), (6, 3, 2, 2), (2, 5, 1, 1), (1, 1, 3, 1)])
def test_valid_padding_is_zero(args):
    assert padding_amounts(*args, "valid") == (0, 0)


@pytest.mark.parametrize("n", range(1, 12))
@pytest.mark.parametrize("k, s, d", [(1, 1, 1), (2, 1, 1), (3, 1, 1), (3, 2, 1), (2, 3, 1), (3, 1, 2), (5, 4, 1)])
def test_same_gives_ceil_size_over_stride_outputs(n, k, s, d):
    pads = padding_amounts(n, k, s, d, "same")
    assert pads[0] <= pads[1] <= pads[0] + 1  # the odd pixel after
    assert output_size(n, k, s, d, pads) == math.ceil(n / s)


@pytest.mark.parametrize("n", range(1, 10))
@pytest.mark.parametrize("k, d", [(1, 1), (2, 1), (3, 1), (3, 2)])
def test_causal_keeps_the_length(n, k, d):
    assert output_size(n, k, 1, d, padding_amounts(n, k, 1, d, "causal")) == n


# ---- output_size ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        ((28, 3, 1, 1, (0, 0)), 26),  # the notes' CNN: 28 -> 26 -> pool 13 -> 11 -> pool 5
        ((26, 2, 2, 1, (0, 0)), 13),
        ((13, 3, 1, 1, (0, 0)), 11),
        ((11, 2, 2, 1, (0, 0)), 5),
        ((5, 3, 2, 1, (1, 1)), 3),
        ((7, 4, 3, 1, (1, 2)), 3),
        ((7, 3, 1, 2, (0, 0)), 3),  # span 5
        ((7, 2, 3, 1, (0, 0)), 2),  # windows 0-1, 3-4; 6 is left over
        ((3, 3, 1, 1, (0, 0)), 1),
        ((2, 3, 1, 1, (0, 0)), 0),  # below 1: no window fits
        ((2, 4, 1, 1, (0, 0)), -1),
        ((2, 3, 1, 1, (1, 1)), 2),
    ],
)
def test_output_size(args, expected):
    assert output_size(*args) == expected


# ---- normalize_tuple --------------------------------------------------------------------


def test_normalize_tuple_repeats_an_int_and_keeps_a_sequence():
    assert normalize_tuple(3, 2, "kernel_size") == (3, 3)
    assert normalize_tuple(4, 1, "strides") == (4,)
    assert normalize_tuple([2, 5], 2, "kernel_size") == (2, 5)
    assert normalize_tuple((1, 2, 3), 3, "pool_size") == (1, 2, 3)
    got = normalize_tuple((np.int64(2), np.int32(3)), 2, "strides")
    assert got == (2, 3) and all(type(v) is int for v in got)
    assert normalize_tuple(np.int64(2), 2, "strides") == (2, 2)
    assert normalize_tuple(0, 2, "padding", allow_zero=True) == (0, 0)


@pytest.mark.parametrize(
    "value, match",
    [
        ((3,), "tuple of 2 integers"),
        ((3, 3, 3), "tuple of 2 integers"),
        ((3.0, 3), "tuple of 2 integers"),
        ((3, "3"), "tuple of 2 integers"),
        ((True, 2), "tuple of 2 integers"),
        (True, "tuple of 2 integers"),
        ("ab", "tuple of 2 integers"),
        (0, "positive"),
        ((2, 0), "positive"),
        (-1, "positive"),
        ((3, -2), "positive"),
    ],
)
def test_normalize_tuple_errors_name_the_argument(value, match):
    with pytest.raises(ValueError, match=match) as err:
        normalize_tuple(value, 2, "kernel_size")
    assert "kernel_size=" in str(err.value)


def test_normalize_tuple_allow_zero_still_refuses_negatives():
    with pytest.raises(ValueError, match="non-negative"):
        normalize_tuple((0, -1), 2, "padding", allow_zero=True)


@pytest.mark.parametrize("value", [None, 2.0, {3, 4}])
def test_normalize_tuple_refuses_a_non_sequence_with_value_error(value):
    """As Keras's standardize_tuple: a ValueError, not the TypeError of tuple(None)."""
    with pytest.raises(ValueError, match="kernel_size"):
        normalize_tuple(value, 2, "kernel_size")


# ---- window_slice -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "offset, stride, count, expected",
    [(0, 1, 4, [0, 1, 2, 3]), (1, 2, 3, [1, 3, 5]), (2, 3, 2, [2, 5]), (4, 2, 1, [4]), (0, 5, 2, [0, 5])],
)
def test_window_slice_visits_one_position_per_output(offset, stride, count, expected):
    positions = np.arange(20)[window_slice(offset, stride, count)]
    np.testing.assert_array_equal(positions, expected)


def test_window_slice_stops_inside_the_axis_at_its_last_output():
    # the last window of 3 (kernel 3, stride 2) over 7 pixels starts at 4 and ends at 6
    axis = np.arange(7)
    for i in range(3):
        assert list(axis[window_slice(i, 2, 3)]) == [i, i + 2, i + 4]


# ---- pad_spatial / unpad_spatial --------------------------------------------------------


def test_pad_spatial_places_the_input_and_fills_the_border():
    x = np.arange(2 * 2 * 3 * 2, dtype=np.float32).reshape(2, 2, 3, 2)
    xp = pad_spatial(x, ((1, 2), (0, 1)), value=-7.0)
    assert xp.shape == (2, 5, 4, 2)
    assert xp.dtype == np.float32
    np.testing.assert_array_equal(xp[:, 1:3, 0:3], x)
    border = np.ones(xp.shape, bool)
    border[:, 1:3, 0:3] = False
    assert np.all(xp[border] == -7.0)


def test_pad_spatial_default_fill_is_zero_and_no_pads_means_no_copy():
    x = np.ones((1, 2, 2, 1))
    assert pad_spatial(x, ((0, 0), (0, 0))) is x
    xp = pad_spatial(x, ((1, 0), (0, 0)))
    np.testing.assert_array_equal(xp[0, :, :, 0], [[0, 0], [1, 1], [1, 1]])


def test_unpad_spatial_is_the_inverse_of_pad_spatial():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 5, 2))
    for pads in [((1, 1), (2, 0)), ((0, 2), (1, 3)), ((0, 0), (0, 1))]:
        xp = pad_spatial(x, pads, value=np.nan)
        np.testing.assert_array_equal(unpad_spatial(xp, pads, x.shape), x)
    assert unpad_spatial(x, ((0, 0), (0, 0)), x.shape) is x
