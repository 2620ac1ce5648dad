"""pad_sequences: Keras's padding and truncating modes, element shapes, dtypes and errors."""

import numpy as np
import pytest

import npkeras
from npkeras.preprocessing.sequence import pad_sequences as preprocessing_pad_sequences
from npkeras.utils import pad_sequences

SEQS = [[1], [2, 3], [4, 5, 6]]


def _check(got, expected, dtype="int32"):
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(got, np.array(expected, dtype=dtype))


def test_default_pads_before_to_the_longest():
    _check(pad_sequences(SEQS), [[0, 0, 1], [0, 2, 3], [4, 5, 6]])


def test_padding_value():
    _check(pad_sequences(SEQS, value=-1), [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]])


def test_padding_post():
    _check(pad_sequences(SEQS, padding="post"), [[1, 0, 0], [2, 3, 0], [4, 5, 6]])


@pytest.mark.parametrize(
    "padding, truncating, expected",
    [
        ("pre", "pre", [[0, 0, 1], [2, 3, 4], [6, 7, 8]]),
        ("pre", "post", [[0, 0, 1], [2, 3, 4], [5, 6, 7]]),
        ("post", "pre", [[1, 0, 0], [2, 3, 4], [6, 7, 8]]),
        ("post", "post", [[1, 0, 0], [2, 3, 4], [5, 6, 7]]),
    ],
)
def test_every_padding_and_truncating_mode(padding, truncating, expected):
    seqs = [[1], [2, 3, 4], [5, 6, 7, 8]]
    _check(pad_sequences(seqs, maxlen=3, padding=padding, truncating=truncating), expected)


def test_maxlen_longer_than_every_sequence():
    _check(pad_sequences(SEQS, maxlen=5, padding="post", value=9), [[1, 9, 9, 9, 9], [2, 3, 9, 9, 9], [4, 5, 6, 9, 9]])


def test_empty_sequences_are_all_padding():
    _check(pad_sequences([[], [7, 8], []], value=5), [[5, 5], [7, 8], [5, 5]])
    _check(pad_sequences([[], []], maxlen=2), [[0, 0], [0, 0]])
    assert pad_sequences([[], []]).shape == (2, 0)


def test_no_sequences():
    assert pad_sequences([], maxlen=3).shape == (0, 3)
    assert pad_sequences([]).shape == (0, 0)


def test_maxlen_zero_gives_no_columns():
    for truncating in ("pre", "post"):
        assert pad_sequences(SEQS, maxlen=0, truncating=truncating).shape == (3, 0)


def test_values_are_cast_to_dtype():
    _check(pad_sequences([[1.7, -2.5]]), [[1, -2]])
    _check(pad_sequences([[1.5], [2.25, 3.0]], dtype="float32", value=0.5), [[0.5, 1.5], [2.25, 3.0]], "float32")
    _check(pad_sequences([[1, 2]], maxlen=3, dtype="int64"), [[0, 1, 2]], "int64")


def test_arrays_and_tuples_and_a_2d_array():
    _check(pad_sequences([np.array([1, 2]), (3,)]), [[1, 2], [0, 3]])
    _check(pad_sequences(np.array([[1, 2, 3], [4, 5, 6]]), maxlen=2), [[2, 3], [5, 6]])


def test_sequences_of_vectors():
    seqs = [[[1, 2], [3, 4]], [[5, 6]], []]
    got = pad_sequences(seqs, maxlen=3, value=-1)
    assert got.shape == (3, 3, 2)
    _check(got, [[[-1, -1], [1, 2], [3, 4]], [[-1, -1], [-1, -1], [5, 6]], [[-1, -1], [-1, -1], [-1, -1]]])
    post = pad_sequences(seqs, maxlen=1, padding="post", truncating="post")
    _check(post, [[[1, 2]], [[5, 6]], [[0, 0]]])


def test_sequences_of_matrices_take_the_first_non_empty_shape():
    seqs = [[], [np.ones((2, 3))], [np.zeros((2, 3)), np.full((2, 3), 2.0)]]
    got = pad_sequences(seqs, dtype="float32")
    assert got.shape == (3, 2, 2, 3)
    np.testing.assert_array_equal(got[0], 0)
    np.testing.assert_array_equal(got[1, 0], 0)
    np.testing.assert_array_equal(got[1, 1], 1)
    np.testing.assert_array_equal(got[2, 1], 2)


def test_mismatched_element_shape_names_the_sequence():
    with pytest.raises(ValueError, match=r"Shape of sample \(3,\) of sequence at position 1 .* expected shape \(2,\)"):
        pad_sequences([[[1, 2], [3, 4]], [[5, 6, 7]]])


def test_strings_with_object_dtype():
    got = pad_sequences([["a", "bb"], ["c"]], dtype=object, value="x")
    assert got.dtype == object
    assert got.tolist() == [["a", "bb"], ["x", "c"]]
    assert pad_sequences([["a", "bb"], ["c"]], dtype="object", value="<pad>", padding="post").tolist() == [
        ["a", "bb"],
        ["c", "<pad>"],
    ]


def test_strings_with_a_str_dtype():
    got = pad_sequences([["a", "bb"], ["c"]], dtype="<U2", value="x")
    assert got.dtype == np.dtype("<U2")
    assert got.tolist() == [["a", "bb"], ["x", "c"]]


def test_string_value_needs_a_text_dtype():
    with pytest.raises(ValueError, match="`dtype` int32 is not compatible with `value`'s type: <class 'str'>") as err:
        pad_sequences([["a"]], value="x")
    assert "You should set `dtype=object` for variable length strings." in str(err.value)


def test_bad_padding_and_truncating_use_keras_wording():
    with pytest.raises(ValueError, match='^Padding type "mid" not understood$'):
        pad_sequences(SEQS, padding="mid")
    with pytest.raises(ValueError, match='^Truncating type "middle" not understood$'):
        pad_sequences(SEQS, truncating="middle")
    with pytest.raises(ValueError, match='^Padding type "mid" not understood$'):
        pad_sequences([[], []], padding="mid")  # checked even when nothing needs padding


def test_not_a_list_of_sequences():
    with pytest.raises(ValueError, match="^`sequences` must be iterable.$"):
        pad_sequences(s for s in SEQS)
    with pytest.raises(ValueError, match="must be a list of iterables. Found non-iterable: 2"):
        pad_sequences([[1], 2])
    with pytest.raises(ValueError, match="position 0 is a single value"):
        pad_sequences(["abc"], dtype=object)


def test_negative_maxlen():
    with pytest.raises(ValueError, match="non-negative integer or None. Received: maxlen=-1"):
        pad_sequences(SEQS, maxlen=-1)


def test_many_sequences_match_a_per_row_reference():
    rng = np.random.default_rng(0)
    seqs = [rng.integers(1, 100, size=rng.integers(0, 30)).tolist() for _ in range(500)]
    got = pad_sequences(seqs, maxlen=20, padding="post", truncating="pre")
    for row, seq in zip(got, seqs):
        kept = seq[-20:]
        np.testing.assert_array_equal(row, kept + [0] * (20 - len(kept)))


def test_the_same_function_under_every_keras_name():
    assert preprocessing_pad_sequences is pad_sequences
    assert npkeras.utils.pad_sequences is pad_sequences
