"""Regression metrics: streaming mean squared and mean absolute error."""

import numpy as np
import pytest

from npkeras import metrics

RNG = np.random.default_rng(1)
Y = RNG.standard_normal((17, 3))
P = Y + RNG.standard_normal((17, 3))
W = RNG.uniform(0.2, 2.0, 17)
PER_SAMPLE = {
    metrics.MeanSquaredError: ((P - Y) ** 2).mean(axis=1),
    metrics.MeanAbsoluteError: np.abs(P - Y).mean(axis=1),
}


@pytest.mark.parametrize("cls", list(PER_SAMPLE))
def test_whole_set_value(cls):
    m = cls()
    m.update_state(Y, P)
    assert float(m.result()) == pytest.approx(PER_SAMPLE[cls].mean(), rel=1e-7)


@pytest.mark.parametrize("cls", list(PER_SAMPLE))
def test_streaming_uneven_batches(cls):
    m = cls()
    for start, end in [(0, 5), (5, 6), (6, 17)]:
        m.update_state(Y[start:end], P[start:end])
    assert float(m.result()) == pytest.approx(PER_SAMPLE[cls].mean(), rel=1e-7)


@pytest.mark.parametrize("cls", list(PER_SAMPLE))
def test_sample_weight(cls):
    expected = (PER_SAMPLE[cls] * W).sum() / W.sum()
    m = cls()
    for start, end in [(0, 9), (9, 17)]:
        m.update_state(Y[start:end], P[start:end], sample_weight=W[start:end])
    assert float(m.result()) == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("cls", list(PER_SAMPLE))
def test_reset_state(cls):
    m = cls()
    m.update_state(Y, P)
    m.reset_state()
    assert float(m.result()) == 0.0
    m.update_state(Y[:4], P[:4])
    assert float(m.result()) == pytest.approx(PER_SAMPLE[cls][:4].mean(), rel=1e-7)


def test_keras_measured_weighted_mse():
    """keras 3.13.2: MeanSquaredError on [[1,2],[3,4]] vs [[1.5,2],[2,4]] weighted [1,3] = 0.40625."""
    m = metrics.MeanSquaredError()
    m.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.5, 2.0], [2.0, 4.0]]), sample_weight=[1.0, 3.0])
    assert float(m.result()) == pytest.approx(0.40625)


def test_vector_targets_with_column_predictions():
    y = np.array([1.0, 2.0, 3.0])
    p = np.array([[1.5], [2.0], [1.0]])
    m = metrics.MeanAbsoluteError()
    m.update_state(y, p)
    assert float(m.result()) == pytest.approx((0.5 + 0.0 + 2.0) / 3)
    m = metrics.MeanSquaredError()
    m.update_state(y, p)
    assert float(m.result()) == pytest.approx((0.25 + 0.0 + 4.0) / 3)


def test_functions_and_names():
    np.testing.assert_allclose(metrics.mean_squared_error(Y, P), PER_SAMPLE[metrics.MeanSquaredError])
    np.testing.assert_allclose(metrics.mean_absolute_error(Y, P), PER_SAMPLE[metrics.MeanAbsoluteError])
    assert metrics.mse is metrics.mean_squared_error and metrics.mae is metrics.mean_absolute_error
    assert metrics.MeanSquaredError().name == "mean_squared_error"
    assert metrics.MeanAbsoluteError().name == "mean_absolute_error"
