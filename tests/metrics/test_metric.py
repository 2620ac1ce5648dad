"""Metric base, Mean and MeanMetricWrapper."""

import numpy as np
import pytest

import npkeras
from npkeras import metrics, ops


def test_mean_unweighted_streaming():
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0])
    m.update_state(np.array([[4.0, 5.0]]))
    assert float(m.result()) == pytest.approx(3.0)
    assert m.name == "mean"


def test_mean_weighted_matches_keras():
    """keras 3.13.2: Mean().update_state([[1,2],[3,4]], sample_weight=[1,3]) -> 3.0 (weights broadcast per row)."""
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]), sample_weight=np.array([1.0, 3.0]))
    assert float(m.result()) == pytest.approx(3.0)


def test_mean_weighted_vector():
    m = metrics.Mean()
    m.update_state([2.0, 4.0, 8.0], sample_weight=[0.5, 0.0, 1.5])
    assert float(m.result()) == pytest.approx((1.0 + 12.0) / 2.0)
    m.update_state([1.0], sample_weight=[[2.0]])
    assert float(m.result()) == pytest.approx((1.0 + 12.0 + 2.0) / 4.0)


def test_mean_empty_result_is_zero_and_reset():
    m = metrics.Mean(name="loss")
    assert float(m.result()) == 0.0
    m.update_state([5.0])
    m.reset_state()
    assert float(m.result()) == 0.0
    assert m.name == "loss"


def test_mean_of_batch_losses_weighted_by_batch_size():
    """The epoch loss Keras reports: sum(batch_loss * batch_size) / sum(batch_size)."""
    m = metrics.Mean(name="loss")
    for loss, size in [(2.0, 32), (1.0, 32), (0.5, 4)]:
        m.update_state(loss, sample_weight=size)
    assert float(m.result()) == pytest.approx((64 + 32 + 2) / 68)


def test_call_returns_running_result():
    m = metrics.Mean()
    assert float(m([2.0])) == 2.0
    assert float(m([4.0])) == 3.0


def test_mean_metric_wrapper_with_custom_function():
    def abs_diff(y_true, y_pred):
        return np.abs(np.asarray(y_true) - np.asarray(y_pred)).sum(axis=-1)

    m = metrics.MeanMetricWrapper(abs_diff, name="abs_diff")
    assert m.name == "abs_diff"
    m.update_state([[1.0, 2.0], [0.0, 0.0]], [[1.5, 2.0], [1.0, -1.0]])
    assert float(m.result()) == pytest.approx((0.5 + 2.0) / 2)
    m.update_state([[0.0, 0.0]], [[3.0, 0.0]], sample_weight=[2.0])
    assert float(m.result()) == pytest.approx((0.5 + 2.0 + 6.0) / 4)


def test_get_config():
    # keras 3.13.2: Mean(name="m").get_config() == {"name": "m", "dtype": "float32"}
    assert metrics.Mean(name="m").get_config() == {"name": "m", "dtype": "float32"}
    config = metrics.BinaryAccuracy(threshold=0.7).get_config()
    assert config["name"] == "binary_accuracy"
    assert config["threshold"] == 0.7
    clone = metrics.BinaryAccuracy.from_config(config)
    assert clone.name == "binary_accuracy"


def test_metric_base_default_name_is_snake_case():
    class TruePositiveCount(metrics.Metric):
        pass

    assert TruePositiveCount().name == "true_positive_count"
    with pytest.raises(NotImplementedError):
        TruePositiveCount().result()


def test_get_by_name_and_unknown():
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("sparse_categorical_accuracy"), metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.get("BinaryAccuracy"), metrics.BinaryAccuracy)
    instance = metrics.Mean()
    assert metrics.get(instance) is instance
    with pytest.raises(ValueError) as info:
        metrics.get("foo")
    assert "Could not interpret metric identifier" in str(info.value)
    assert "foo" in str(info.value)


class CategoricalTruePositives(metrics.Metric):
    """The training guide's custom stateful metric, written with add_variable and assign_add."""

    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(ops.cast(y_true, "int32") == ops.cast(y_pred, "int32"), "float32")
        if sample_weight is not None:
            values = ops.multiply(values, ops.cast(sample_weight, "float32"))
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives.value


def test_custom_stateful_metric_streams_and_resets_per_epoch():
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 6), dtype=np.float32), rng.integers(0, 3, (40, 1))
    model = npkeras.Sequential([npkeras.Input((6,)), npkeras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=[CategoricalTruePositives()])
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    assert len(history.history["categorical_true_positives"]) == 2
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    expected = float((model.predict(x, verbose=0).argmax(axis=1) == y[:, 0]).sum())
    assert logs["categorical_true_positives"] == expected  # the whole set once: reset before evaluate


def test_add_variable_and_add_weight_defaults_and_reset():
    metric = CategoricalTruePositives()
    total = metric.add_weight(name="total")
    table = metric.add_variable(shape=(2, 3), initializer="ones", dtype="int32", name="table")
    assert [v.name for v in metric.variables] == ["ctp", "total", "table"]
    assert total.shape == () and total.dtype == np.float32 and not total.trainable
    assert table.dtype == np.int32 and np.all(table.value == 1)
    metric.update_state(
        np.array([[0], [2]]), np.array([[0.9, 0.1, 0.0], [0.2, 0.3, 0.5]]), sample_weight=[[2.0], [1.0]]
    )
    assert float(metric.result()) == 3.0
    metric.reset_state()
    assert all(np.all(v.value == 0) for v in metric.variables)


def test_add_variable_refuses_an_unknown_aggregation():
    with pytest.raises(ValueError, match="Invalid value for argument `aggregation`.*Received: aggregation='max'"):
        metrics.Mean().add_variable((), "zeros", aggregation="max")
