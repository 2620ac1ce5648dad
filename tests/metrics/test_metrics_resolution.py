"""metrics.for_compile: how compile() turns metric identifiers into metrics (keras_facts.md section 3).

Keras's rule: is_binary = y_pred last dim 1; is_sparse = rank(y_true) < rank(y_pred) or (y_true last dim 1
and y_pred last dim > 1); binary is checked first; the loss is never consulted; string identifiers name
the metric exactly.
"""

import types

import numpy as np
import pytest

from npkeras import metrics
from npkeras.metrics import for_compile


@pytest.mark.parametrize(
    "y_true_shape, y_pred_shape, expected",
    [
        ((32,), (32, 10), metrics.SparseCategoricalAccuracy),
        ((32, 1), (32, 10), metrics.SparseCategoricalAccuracy),
        ((32, 10), (32, 10), metrics.CategoricalAccuracy),
        ((32,), (32, 1), metrics.BinaryAccuracy),
        ((32, 1), (32, 1), metrics.BinaryAccuracy),
        ((32, 5, 1), (32, 5, 3), metrics.SparseCategoricalAccuracy),
        ((32, 5), (32, 5, 3), metrics.SparseCategoricalAccuracy),
        ((32, 5, 3), (32, 5, 3), metrics.CategoricalAccuracy),
    ],
)
@pytest.mark.parametrize("identifier", ["accuracy", "acc"])
def test_accuracy_resolution_by_shapes(identifier, y_true_shape, y_pred_shape, expected):
    metric = for_compile(identifier, y_true_shape, y_pred_shape)
    assert type(metric) is expected
    assert metric.name == identifier


@pytest.mark.parametrize(
    "loss_name", ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "mse", None]
)
def test_accuracy_resolution_ignores_the_loss(loss_name):
    """Multi-label (32, 3) targets and predictions give categorical accuracy in Keras, whatever the loss."""
    metric = for_compile("accuracy", (32, 3), (32, 3))
    assert type(metric) is metrics.CategoricalAccuracy
    assert metric.name == "accuracy"


def test_accuracy_identifier_is_case_insensitive():
    """Keras checks str(identifier).lower() in ["accuracy", "acc"] and names the metric with the string as given."""
    metric = for_compile("Accuracy", (32,), (32, 10))
    assert type(metric) is metrics.SparseCategoricalAccuracy
    assert metric.name == "Accuracy"


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("mse", metrics.MeanSquaredError),
        ("mae", metrics.MeanAbsoluteError),
        ("mean_squared_error", metrics.MeanSquaredError),
        ("binary_accuracy", metrics.BinaryAccuracy),
        ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
        ("categorical_accuracy", metrics.CategoricalAccuracy),
    ],
)
def test_string_metrics_keep_the_string_as_name(identifier, cls):
    metric = for_compile(identifier, (32, 1), (32, 1))
    assert type(metric) is cls
    assert metric.name == identifier


def test_metric_instances_keep_their_own_name():
    instance = metrics.MeanSquaredError()
    metric = for_compile(instance, (8, 1), (8, 1))
    assert metric is instance
    assert metric.name == "mean_squared_error"


def test_function_metrics_are_wrapped():
    metric = for_compile(metrics.mean_absolute_error, (8, 1), (8, 1))
    assert isinstance(metric, metrics.Metric)
    assert metric.name == "mean_absolute_error"
    metric.update_state(np.array([[1.0], [2.0]]), np.array([[2.0], [2.0]]))
    assert float(metric.result()) == pytest.approx(0.5)


def test_resolved_accuracy_computes_the_right_thing():
    y_true = np.array([0, 2, 1])
    y_pred = np.array([[0.8, 0.1, 0.1], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    metric = for_compile("accuracy", y_true.shape, y_pred.shape)
    metric.update_state(y_true, y_pred)
    assert float(metric.result()) == pytest.approx(2 / 3)


def test_unknown_metric_identifier():
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        for_compile("foo", (8, 1), (8, 1))


def test_every_public_metric_name_is_the_metric_not_a_submodule():
    modules = [name for name in metrics.__all__ if isinstance(getattr(metrics, name), types.ModuleType)]
    assert modules == []
    y_true, y_pred = np.array([[1.0, -1.0]]), np.array([[0.5, 0.2]])
    assert float(metrics.hinge(y_true, y_pred)[0]) == pytest.approx(((1 - 0.5) + (1 + 0.2)) / 2)
