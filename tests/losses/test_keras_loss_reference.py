"""The new losses against Keras-TensorFlow: values for each reduction, with and without sample weights, their
gradients with respect to y_pred, and their configs (fixture from tests/fixtures/make_loss_reference.py)."""

import json
from pathlib import Path

import numpy as np
import pytest

from npkeras import losses
from npkeras.autograd.tensor import Tensor

FIXTURES = Path(__file__).parents[1] / "fixtures"
REFERENCE = np.load(FIXTURES / "loss_reference.npz")
SPEC = json.loads((FIXTURES / "loss_reference.json").read_text())
CASES, REDUCTIONS = SPEC["cases"], SPEC["reductions"]


def _data(case):
    return [REFERENCE[f"{case['data']}.{k}"] for k in ("y_true", "y_pred", "sample_weight")]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_loss_value_equals_keras(case, reduction):
    y_true, y_pred, weights = _data(case)
    loss = getattr(losses, case["class_name"])(**case["config"], reduction=reduction)
    value = loss(y_true, y_pred, sample_weight=weights if case["weighted"] else None)
    expected = REFERENCE[f"{case['name']}.{reduction}"]
    assert np.shape(value) == expected.shape
    np.testing.assert_allclose(np.asarray(value), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_loss_gradient_equals_keras(case):
    y_true, y_pred, weights = _data(case)
    loss = getattr(losses, case["class_name"])(**case["config"])
    pred = Tensor(y_pred.copy(), requires_grad=True)
    loss(y_true, pred, sample_weight=weights if case["weighted"] else None).backward()
    np.testing.assert_allclose(pred.grad, REFERENCE[f"{case['name']}.grad"], rtol=1e-5, atol=1e-5)


# Keras 3.15 leaves these arguments out of the config (a restored loss falls back to the default); ours keeps
# them, and Keras's constructors accept them, so its files still load there.
KEPT_BEYOND_KERAS = {"Huber": {"delta"}, "CosineSimilarity": {"axis"}}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_equals_keras_and_round_trips(case):
    loss = getattr(losses, case["class_name"])(**case["config"])
    config = loss.get_config()
    extra = KEPT_BEYOND_KERAS.get(case["class_name"], set())
    assert {k: v for k, v in config.items() if k not in extra} == case["keras_config"]
    assert {k: config[k] for k in extra} == {k: case["config"].get(k, config[k]) for k in extra}
    again = losses.get({"class_name": case["class_name"], "config": json.loads(json.dumps(config))})
    assert type(again) is type(loss) and again.get_config() == config
