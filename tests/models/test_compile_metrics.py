"""CompileMetrics: Keras's metric names for one output and several, weighted metrics, checks at compile()."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.models.compile_metrics import CompileMetrics

RNG = np.random.default_rng(0)
X = RNG.standard_normal((12, 3)).astype("float32")
LABELS = RNG.integers(0, 2, 12)
VALUES = RNG.standard_normal((12, 1)).astype("float32")
WEIGHTS = RNG.random(12).astype("float32")


def test_one_output_names_metrics_as_given_and_weighted_clashes_get_a_prefix():
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"], weighted_metrics=["mae", "mse"])
    logs = model.evaluate(X, VALUES, sample_weight=WEIGHTS, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "mae", "weighted_mae", "mse"}
    errors = model.predict(X, verbose=0)[:, 0].astype("float64") - VALUES[:, 0]
    assert logs["mae"] == pytest.approx(np.abs(errors).mean(), rel=1e-6)
    assert logs["weighted_mae"] == pytest.approx(np.sum(np.abs(errors) * WEIGHTS) / np.sum(WEIGHTS), rel=1e-6)
    assert logs["mse"] == pytest.approx(np.sum(errors**2 * WEIGHTS) / np.sum(WEIGHTS), rel=1e-6)
    assert model.metrics_names == ["loss", "mae", "weighted_mae", "mse"]


def test_several_outputs_prefix_each_metric_with_its_output():
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((3,))
    cls, reg = layers.Dense(2, activation="softmax", name="cls")(inputs), layers.Dense(1, name="reg")(inputs)
    model = npkeras.Model(inputs, [cls, reg])
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"],
                  metrics={"cls": ["accuracy"], "reg": ["mae", "mae"]}, weighted_metrics={"reg": ["mae"]})  # fmt: skip
    logs = model.evaluate(X, [LABELS, VALUES], sample_weight=WEIGHTS, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae", "reg_mae_1", "reg_weighted_mae"}
    _, values = model.predict(X, verbose=0)
    errors = np.abs(values[:, 0].astype("float64") - VALUES[:, 0])
    assert logs["reg_mae"] == logs["reg_mae_1"] == pytest.approx(errors.mean(), rel=1e-6)
    assert logs["reg_weighted_mae"] == pytest.approx(np.sum(errors * WEIGHTS) / np.sum(WEIGHTS), rel=1e-6)
    as_list = model.evaluate(X, [LABELS, VALUES], sample_weight=WEIGHTS, verbose=0)
    assert as_list[0] == logs["loss"] and len(as_list) == 7


@pytest.mark.parametrize(
    "metrics, message",
    [
        ("accuracy", "Expected `metrics` argument to be a list, tuple, or dict"),
        (["no_such_metric"], "no_such_metric"),
    ],
)
def test_bad_metrics_fail_at_compile(metrics, message):
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match=message):
        model.compile(optimizer="sgd", loss="mse", metrics=metrics)


def test_a_metrics_list_of_the_wrong_length_for_the_outputs_fails_at_compile():
    with pytest.raises(ValueError, match="`metrics` has 3 entries, but the model has 2 outputs"):
        CompileMetrics([["mae"], ["mae"], ["mae"]], None, output_names=["a", "b"])


def test_result_and_reset():
    metrics = CompileMetrics(["mae"], None, output_names=["out"])
    metrics.update_state(np.zeros((4, 1)), np.ones((4, 1)))
    assert metrics.result() == {"mae": pytest.approx(1.0)}
    metrics.reset_state()
    metrics.update_state(np.zeros((4, 1)), np.full((4, 1), 3.0))
    assert metrics.result() == {"mae": pytest.approx(3.0)}
