"""data_adapter: array checks, cardinality, validation split, batching, class weights."""

import numpy as np
import pytest

from npkeras.autograd.tensor import Tensor
from npkeras.models import data_adapter


# ---- as_array ----------------------------------------------------------------------------
def test_as_array_casts_float64_to_float32_and_keeps_other_numeric_dtypes():
    assert data_adapter.as_array(np.zeros((2, 3)), "x").dtype == np.float32
    assert data_adapter.as_array([[1.5, 2.5]], "x").dtype == np.float32
    assert data_adapter.as_array(np.zeros(3, np.int64), "y").dtype == np.int64
    assert data_adapter.as_array(np.zeros(3, np.uint8), "x").dtype == np.uint8
    assert data_adapter.as_array(np.zeros(3, bool), "x").dtype == bool
    assert data_adapter.as_array(np.zeros(3, np.float16), "x").dtype == np.float16


def test_as_array_unwraps_tensors():
    arr = data_adapter.as_array(Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)), "x")
    assert isinstance(arr, np.ndarray)
    np.testing.assert_array_equal(arr, np.arange(6).reshape(2, 3))


@pytest.mark.parametrize("bad", [np.array(["a", "b"]), np.array([object(), object()], dtype=object)])
def test_as_array_refuses_non_numeric_data(bad):
    with pytest.raises(ValueError) as info:
        data_adapter.as_array(bad, "x")
    message = str(info.value)
    assert "`x`" in message and "numeric" in message and str(bad.dtype) in message


def test_as_array_refuses_a_scalar():
    with pytest.raises(ValueError, match="batch axis"):
        data_adapter.as_array(3.0, "x")


# ---- check_finite / cardinality ------------------------------------------------------
def test_check_finite_counts_bad_values():
    x = np.zeros((3, 3), np.float32)
    x[0, 0], x[2, 1] = np.nan, -np.inf
    with pytest.raises(ValueError, match="2 NaN or infinite"):
        data_adapter.check_finite(x, "x")
    data_adapter.check_finite(np.zeros(3, np.float32), "x")
    data_adapter.check_finite(np.zeros(3, np.int64), "x")


def test_check_cardinality_message_is_keras_verbatim():
    with pytest.raises(ValueError) as info:
        data_adapter.check_cardinality(x=np.zeros(10), y=np.zeros(9))
    assert str(info.value) == (
        "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples."
        "'x' sizes: 10\n'y' sizes: 9\n"
    )


def test_check_cardinality_ignores_missing_arrays():
    data_adapter.check_cardinality(x=np.zeros(4), y=None, sample_weight=np.ones(4))


def test_prepare_checks_values_and_lengths():
    x, y, w = data_adapter.prepare(np.ones((4, 2)), [0, 1, 0, 1], None)
    assert x.dtype == np.float32 and y.dtype.kind == "i" and w is None
    with pytest.raises(ValueError, match="NaN"):
        data_adapter.prepare(np.array([[np.nan]]), [0])
    with pytest.raises(ValueError, match="`y` contains 1 NaN"):
        data_adapter.prepare(np.ones((1, 1)), [np.nan])
    with pytest.raises(ValueError, match="^Data cardinality is ambiguous"):
        data_adapter.prepare(np.ones((4, 2)), [0, 1, 0, 1], np.ones(3))


# ---- validation split ------------------------------------------------------------------
def test_split_validation_takes_the_last_fraction():
    x = np.arange(10)
    y = np.arange(10) * 10
    (x_t, y_t, w_t), (x_v, y_v, w_v) = data_adapter.split_validation(x, y, None, 0.2)
    np.testing.assert_array_equal(x_t, np.arange(8))
    np.testing.assert_array_equal(x_v, [8, 9])
    np.testing.assert_array_equal(y_v, [80, 90])
    assert w_t is None and w_v is None


def test_split_validation_uses_floor_and_splits_sample_weights():
    x = np.arange(7)
    w = np.linspace(0, 1, 7)
    (x_t, _, w_t), (x_v, _, w_v) = data_adapter.split_validation(x, x, w, 0.3)
    # split_at = floor(7 * 0.7) = 4
    np.testing.assert_array_equal(x_t, [0, 1, 2, 3])
    np.testing.assert_array_equal(x_v, [4, 5, 6])
    np.testing.assert_array_equal(w_v, w[4:])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_split_validation_rejects_fractions_outside_0_1(fraction):
    with pytest.raises(ValueError, match="validation_split"):
        data_adapter.split_validation(np.arange(10), np.arange(10), None, fraction)


def test_split_validation_with_too_few_samples():
    with pytest.raises(ValueError, match="^Training data contains 2 samples, which is not sufficient"):
        data_adapter.split_validation(np.arange(2), np.arange(2), None, 0.6)


# ---- batches -----------------------------------------------------------------------------
def test_batches_in_order_keep_the_partial_last_batch():
    got = data_adapter.batches(10, 4)
    assert [np.arange(10)[b].tolist() for b in got] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_shuffled_batches_cover_every_index_once():
    rng = np.random.default_rng(0)
    got = data_adapter.batches(25, 8, shuffle=True, rng=rng)
    assert [len(b) for b in got] == [8, 8, 8, 1]
    flat = np.concatenate(got)
    assert sorted(flat.tolist()) == list(range(25))
    assert flat.tolist() != list(range(25))


def test_shuffled_batches_follow_the_generator():
    a = data_adapter.batches(30, 7, shuffle=True, rng=np.random.default_rng(5))
    b = data_adapter.batches(30, 7, shuffle=True, rng=np.random.default_rng(5))
    assert [x.tolist() for x in a] == [x.tolist() for x in b]


# ---- class weights -----------------------------------------------------------------------
def test_class_weights_from_sparse_labels():
    weights = data_adapter.class_weights_to_sample_weights(np.array([0, 2, 1, 2]), {0: 0.5, 1: 1.0, 2: 4.0})
    np.testing.assert_allclose(weights, [0.5, 4.0, 1.0, 4.0])
    assert weights.dtype == np.float32


def test_class_weights_from_column_labels_and_one_hot_labels():
    column = np.array([[1], [0], [1]])
    np.testing.assert_allclose(data_adapter.class_weights_to_sample_weights(column, {0: 2.0, 1: 3.0}), [3, 2, 3])
    one_hot = np.eye(3)[[2, 0, 1]]
    np.testing.assert_allclose(
        data_adapter.class_weights_to_sample_weights(one_hot, {0: 1.0, 1: 5.0, 2: 7.0}), [7, 1, 5]
    )


def test_classes_missing_from_class_weight_default_to_one():
    weights = data_adapter.class_weights_to_sample_weights(np.array([0, 1, 2]), {1: 9.0})
    np.testing.assert_allclose(weights, [1.0, 9.0, 1.0])


def test_class_weight_keys_absent_from_the_labels_are_ignored():
    # Keras (data_adapter_utils.class_weight_to_sample_weights) looks each label up with .get(label, 1.0):
    # a batch or data set that lacks the highest class is fine.
    weights = data_adapter.class_weights_to_sample_weights(np.array([0, 1, 1]), {0: 1.0, 1: 2.0, 2: 5.0})
    np.testing.assert_allclose(weights, [1.0, 2.0, 2.0])


@pytest.mark.parametrize(
    ("class_weight", "message"),
    [
        ([1.0, 2.0], "must be a dict"),
        ({"cat": 1.0}, "keys must be class indices"),
        ({-1: 1.0}, "keys must be class indices"),
        ({0: float("nan")}, "finite numbers >= 0"),
        ({0: -2.0}, "finite numbers >= 0"),
    ],
)
def test_bad_class_weights_are_refused(class_weight, message):
    with pytest.raises(ValueError, match=message):
        data_adapter.class_weights_to_sample_weights(np.array([0, 1]), class_weight)


def test_fit_warns_once_about_class_weights_no_label_has():
    import npkeras

    model = npkeras.Sequential([npkeras.layers.Input((2,)), npkeras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.warns(UserWarning, match=r"weights for classes \[7\], which no label in `y` has"):
        model.fit(np.ones((4, 2)), np.array([0, 1, 0, 1]), class_weight={0: 1.0, 1: 1.0, 7: 2.0}, verbose=0)
