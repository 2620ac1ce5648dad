"""Accuracy metrics: per-sample functions and streaming classes with weights and resets."""

import numpy as np
import pytest

from npkeras import metrics

RNG = np.random.default_rng(0)
N, C = 23, 5
Y_SPARSE = RNG.integers(0, C, N)
Y_ONE_HOT = np.eye(C)[Y_SPARSE]
P_MULTI = RNG.random((N, C))
P_MULTI /= P_MULTI.sum(axis=1, keepdims=True)
Y_BIN = (RNG.random((N, 1)) > 0.5).astype(np.float32)
P_BIN = RNG.random((N, 1))
WEIGHTS = RNG.uniform(0.1, 3.0, N)


def _correct_multi():
    return (P_MULTI.argmax(axis=1) == Y_SPARSE).astype(np.float64)


def _correct_bin(threshold=0.5):
    return ((P_BIN[:, 0] > threshold) == (Y_BIN[:, 0] == 1)).astype(np.float64)


def _stream(metric, y_true, y_pred, sizes, weights=None):
    start = 0
    for size in sizes:
        end = start + size
        sw = None if weights is None else weights[start:end]
        metric.update_state(y_true[start:end], y_pred[start:end], sample_weight=sw)
        start = end
    assert start == len(y_true)
    return float(metric.result())


CASES = [
    (metrics.SparseCategoricalAccuracy, Y_SPARSE, P_MULTI, _correct_multi()),
    (metrics.SparseCategoricalAccuracy, Y_SPARSE[:, None], P_MULTI, _correct_multi()),
    (metrics.CategoricalAccuracy, Y_ONE_HOT, P_MULTI, _correct_multi()),
    (metrics.BinaryAccuracy, Y_BIN, P_BIN, _correct_bin()),
    (metrics.BinaryAccuracy, Y_BIN[:, 0], P_BIN, _correct_bin()),
]


def test_data_is_not_degenerate():
    assert 0.05 < _correct_multi().mean() < 0.95
    assert 0.05 < _correct_bin().mean() < 0.95


@pytest.mark.parametrize("cls, y_true, y_pred, correct", CASES)
def test_whole_set_value(cls, y_true, y_pred, correct):
    metric = cls()
    metric.update_state(y_true, y_pred)
    assert float(metric.result()) == pytest.approx(correct.mean(), rel=1e-6)


@pytest.mark.parametrize("cls, y_true, y_pred, correct", CASES)
def test_streaming_uneven_batches_equals_whole_set(cls, y_true, y_pred, correct):
    assert _stream(cls(), y_true, y_pred, [7, 1, 10, 5]) == pytest.approx(correct.mean(), rel=1e-6)


@pytest.mark.parametrize("cls, y_true, y_pred, correct", CASES)
def test_sample_weight(cls, y_true, y_pred, correct):
    expected = (correct * WEIGHTS).sum() / WEIGHTS.sum()
    metric = cls()
    metric.update_state(y_true, y_pred, sample_weight=WEIGHTS)
    assert float(metric.result()) == pytest.approx(expected, rel=1e-6)
    assert _stream(cls(), y_true, y_pred, [3, 12, 8], WEIGHTS) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("cls, y_true, y_pred, correct", CASES)
def test_reset_state(cls, y_true, y_pred, correct):
    metric = cls()
    metric.update_state(y_true[:5], y_pred[:5])
    metric.reset_state()
    assert float(metric.result()) == 0.0
    metric.update_state(y_true, y_pred)
    assert float(metric.result()) == pytest.approx(correct.mean(), rel=1e-6)


def test_known_values():
    m = metrics.SparseCategoricalAccuracy()
    m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]])
    assert float(m.result()) == 0.5
    m = metrics.CategoricalAccuracy()
    m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
    assert float(m.result()) == 0.5
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert float(m.result()) == 0.75
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert float(m.result()) == 0.75


def test_keras_measured_values():
    """keras 3.13.2: BinaryAccuracy on a vector y_true and column y_pred; weighted sparse accuracy."""
    m = metrics.BinaryAccuracy()
    m.update_state(np.array([1, 0, 1, 1]), np.array([[0.6], [0.4], [0.3], [0.9]]))
    assert float(m.result()) == 0.75
    m = metrics.SparseCategoricalAccuracy()
    y_pred = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])
    m.update_state(np.array([[0], [1], [2]]), y_pred, sample_weight=np.array([1.0, 2.0, 3.0]))
    assert float(m.result()) == 1.0


def test_binary_accuracy_soft_targets_match_neither_class():
    """keras 3.15.1: y_true is compared exactly with the thresholded prediction, so 0.7 matches neither 0 nor 1."""
    m = metrics.BinaryAccuracy()
    m.update_state(np.array([[0.7], [1.0], [0.0], [0.2]]), np.array([[0.9], [0.8], [0.2], [0.1]]))
    assert float(m.result()) == 0.5
    np.testing.assert_array_equal(metrics.binary_accuracy(np.array([0.3, 1.0]), np.array([0.1, 0.6])), [0.0, 1.0])


def test_binary_accuracy_threshold():
    m = metrics.BinaryAccuracy(threshold=0.9)
    m.update_state([[1], [1], [0]], [[0.95], [0.85], [0.5]])
    assert float(m.result()) == pytest.approx(2 / 3)


def test_binary_accuracy_multi_label_averages_over_last_axis():
    y_true = np.array([[1, 0, 1], [0, 0, 1]])
    y_pred = np.array([[0.9, 0.2, 0.4], [0.1, 0.7, 0.8]])
    np.testing.assert_allclose(metrics.binary_accuracy(y_true, y_pred), [2 / 3, 2 / 3])
    m = metrics.BinaryAccuracy()
    m.update_state(y_true, y_pred, sample_weight=[1.0, 3.0])
    assert float(m.result()) == pytest.approx(2 / 3)


def test_per_sample_functions():
    np.testing.assert_array_equal(metrics.sparse_categorical_accuracy(Y_SPARSE, P_MULTI), _correct_multi())
    np.testing.assert_array_equal(metrics.categorical_accuracy(Y_ONE_HOT, P_MULTI), _correct_multi())
    np.testing.assert_array_equal(metrics.binary_accuracy(Y_BIN, P_BIN), _correct_bin())
    np.testing.assert_array_equal(metrics.accuracy([1, 2, 3], [1, 0, 3]), [1.0, 0.0, 1.0])


def test_default_names():
    assert metrics.SparseCategoricalAccuracy().name == "sparse_categorical_accuracy"
    assert metrics.CategoricalAccuracy().name == "categorical_accuracy"
    assert metrics.BinaryAccuracy().name == "binary_accuracy"
    assert metrics.Accuracy().name == "accuracy"
    assert metrics.BinaryAccuracy(name="acc").name == "acc"


def test_call_updates_and_returns_running_result():
    m = metrics.SparseCategoricalAccuracy()
    assert float(m([0, 1], [[0.9, 0.1], [0.8, 0.2]])) == 0.5
    assert float(m([1, 1], [[0.1, 0.9], [0.3, 0.7]])) == 0.75


def test_accepts_tensors():
    from npkeras import ops

    m = metrics.CategoricalAccuracy()
    m.update_state(ops.convert_to_tensor(Y_ONE_HOT), ops.softmax(np.log(P_MULTI)))
    assert float(m.result()) == pytest.approx(_correct_multi().mean(), rel=1e-6)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_top_k_accuracies_equal_sklearn_streamed(k):
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    expected = sklearn_metrics.top_k_accuracy_score(Y_SPARSE, P_MULTI, k=k, labels=range(C))
    weighted = sklearn_metrics.top_k_accuracy_score(Y_SPARSE, P_MULTI, k=k, labels=range(C), sample_weight=WEIGHTS)
    sparse, dense = metrics.SparseTopKCategoricalAccuracy(k=k), metrics.TopKCategoricalAccuracy(k=k)
    assert _stream(sparse, Y_SPARSE, P_MULTI, [4, 1, 18]) == pytest.approx(expected, abs=1e-6)
    assert _stream(dense, Y_ONE_HOT, P_MULTI, [4, 1, 18], WEIGHTS) == pytest.approx(weighted, abs=1e-6)


def test_top_k_counts_ties_at_the_boundary_as_in_tensorflow():
    scores = np.array([[0.4, 0.4, 0.2], [0.5, 0.3, 0.3]])
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([1, 2], scores, k=1), [1.0, 0.0])
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([1, 2], scores, k=2), [1.0, 1.0])


def test_top_k_default_names_and_k():
    assert metrics.TopKCategoricalAccuracy().get_config() == {
        "name": "top_k_categorical_accuracy",
        "dtype": "float32",
        "k": 5,
    }
    assert metrics.get("sparse_top_k_categorical_accuracy").name == "sparse_top_k_categorical_accuracy"
