"""confusion_matrix: scikit-learn's numbers on random and edge cases, and clear errors for bad input."""

import warnings

import numpy as np
import pytest

from npkeras.evaluation.confusion import confusion_matrix


def random_case(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 40)), int(rng.integers(1, 6))
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, k, n))
    if seed % 3 == 1:
        y_true, y_pred = np.array(list("xyzuvw"))[y_true], np.array(list("xyzuvw"))[y_pred]
    labels = None
    if seed % 4 == 2:  # a shuffled subset or superset that keeps one class of y_true
        pool = np.union1d(y_true, y_pred).tolist() + (["q"] if y_true.dtype.kind == "U" else [k, k + 1])
        labels = [y_true[0]] + [v for v in rng.permutation(pool).tolist() if v != y_true[0]][: int(rng.integers(0, 4))]
    weights = [None, rng.integers(0, 4, n), rng.random(n)][seed % 3]
    return y_true, y_pred, labels, weights


@pytest.mark.parametrize("seed", range(60))
def test_equals_scikit_learn_on_random_cases(seed):
    metrics = pytest.importorskip("sklearn.metrics")
    y_true, y_pred, labels, weights = random_case(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for normalize in (None, "true", "pred", "all"):
            expected = metrics.confusion_matrix(
                y_true, y_pred, labels=labels, normalize=normalize, sample_weight=weights
            )
            got = confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize, sample_weight=weights)
            assert got.dtype == expected.dtype
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_rows_are_true_classes_and_columns_predicted_ones():
    cm = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2])
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert cm.dtype == np.int64


def test_a_class_never_predicted_gets_an_empty_column_and_zero_fractions():
    cm = confusion_matrix([0, 1, 2, 2], [0, 1, 1, 1])
    np.testing.assert_array_equal(cm[:, 2], [0, 0, 0])
    pred = confusion_matrix([0, 1, 2, 2], [0, 1, 1, 1], normalize="pred")
    assert np.isfinite(pred).all()
    np.testing.assert_allclose(pred, [[1, 0, 0], [0, 1 / 3, 0], [0, 2 / 3, 0]])


def test_a_class_never_present_appears_only_when_labels_name_it():
    assert confusion_matrix([0, 2], [0, 2]).shape == (2, 2)
    cm = confusion_matrix([0, 2], [0, 2], labels=[0, 1, 2], normalize="true")
    np.testing.assert_array_equal(cm, [[1, 0, 0], [0, 0, 0], [0, 0, 1]])


def test_all_correct_is_diagonal_and_normalize_all_sums_to_one():
    y = np.array([3, 1, 2, 3, 3])
    np.testing.assert_array_equal(confusion_matrix(y, y), np.diag([1, 1, 3]))
    assert confusion_matrix(y, y, normalize="all").sum() == pytest.approx(1.0)


def test_a_single_sample_warns_that_labels_are_needed():
    with pytest.warns(UserWarning, match="labels"):
        np.testing.assert_array_equal(confusion_matrix([1], [1]), [[1]])
    np.testing.assert_array_equal(confusion_matrix([1], [0], labels=[0, 1]), [[0, 0], [1, 0]])


def test_string_labels_and_the_labels_order_and_subset():
    y_true = ["cat", "dog", "bird", "dog", "cat"]
    y_pred = ["dog", "dog", "bird", "cat", "cat"]
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), [[1, 0, 0], [0, 1, 1], [0, 1, 1]])
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, labels=["dog", "cat"]), [[1, 1], [1, 1]])
    # samples whose true or predicted class is outside the subset are left out
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, labels=["bird", "cat"]), [[1, 0], [0, 1]])


def test_sample_weight_and_column_labels():
    cm = confusion_matrix(np.array([[0], [1], [1]]), [0, 1, 0], sample_weight=[0.5, 2.0, 1.0])
    np.testing.assert_array_equal(cm, [[0.5, 0.0], [1.0, 2.0]])
    assert cm.dtype == np.float64
    assert confusion_matrix([0.0, 1.0], [1.0, 1.0]).tolist() == [[0, 1], [0, 1]]


def test_probabilities_instead_of_labels_are_refused_naming_the_shape():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    with pytest.raises(ValueError, match=r"y_pred must be class labels.*\(3, 2\).*probabilities.*argmax\(axis=-1\)"):
        confusion_matrix([0, 1, 1], probs)
    with pytest.raises(ValueError, match=r"y_pred.*non-integer value 0\.9.*probabilities"):
        confusion_matrix([0, 1, 1], probs[:, 0])


def test_one_hot_y_true_is_refused():
    with pytest.raises(ValueError, match=r"y_true must be class labels.*\(3, 3\).*one-hot.*argmax\(axis=-1\)"):
        confusion_matrix(np.eye(3), [0, 1, 2])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(y_true=[0, 1, 1], y_pred=[0, 1]), r"same number of samples; got 3 and 2"),
        (dict(y_true=[0, 1], y_pred=[0, 1], sample_weight=[1.0]), r"sample_weight must have shape \(2,\)"),
        (dict(y_true=[0, 1], y_pred=[0, 1], labels=[5, 6]), r"At least one of labels=\[5, 6\] must be in y_true"),
        (dict(y_true=[0, 1], y_pred=[0, 1], labels=[]), r"non-empty"),
        (dict(y_true=[0, 1], y_pred=[0, 1], labels=[1, 1]), r"distinct"),
        (dict(y_true=[0, 1], y_pred=[0, 1], labels=["a"]), r"labels hold strings"),
        (dict(y_true=[0, 1], y_pred=["a", "b"]), r"y_true holds numbers and y_pred holds strings"),
        (dict(y_true=[0, 1], y_pred=[0, 1], normalize="rows"), r"normalize must be one of"),
        (dict(y_true=3, y_pred=[0]), r"y_true must be class labels.*a scalar"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(**kwargs)


def test_empty_input_gives_an_empty_or_zero_matrix():
    assert confusion_matrix([], []).shape == (0, 0)
    np.testing.assert_array_equal(confusion_matrix([], [], labels=[0, 1]), np.zeros((2, 2)))
