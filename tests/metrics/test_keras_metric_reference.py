"""Streaming metrics against Keras-TensorFlow's results (fixture from tests/fixtures/make_metric_reference.py)."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import npkeras

FIXTURES = Path(__file__).parents[1] / "fixtures"
REFERENCE = np.load(FIXTURES / "metric_reference.npz")
CASES = json.loads((FIXTURES / "metric_reference.json").read_text())["cases"]
BATCHES = REFERENCE["batches"]


def streamed(case, batches):
    metric = getattr(npkeras.metrics, case["class_name"])(**case["config"])
    y_true, y_pred, weights = (REFERENCE[f"{case['data']}.{k}"] for k in ("y_true", "y_pred", "sample_weight"))
    results, start = [], 0
    for size in batches:
        part = slice(start, start + size)
        metric.update_state(y_true[part], y_pred[part], sample_weight=weights[part] if case["weighted"] else None)
        results.append(np.asarray(metric.result()))
        start += size
    return metric, results


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_streamed_result_equals_keras(case):
    _, results = streamed(case, BATCHES)
    np.testing.assert_allclose(results[0], REFERENCE[f"{case['name']}.first"], atol=1e-6, rtol=1e-6)
    np.testing.assert_allclose(results[-1], REFERENCE[f"{case['name']}.result"], atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_uneven_batches_equal_the_whole_set_and_reset_clears(case):
    metric, results = streamed(case, BATCHES)
    _, whole = streamed(case, [int(BATCHES.sum())])
    np.testing.assert_allclose(results[-1], whole[0], atol=1e-6, rtol=1e-6)
    metric.reset_state()
    _, again = streamed(case, BATCHES)
    np.testing.assert_array_equal(again[-1], results[-1])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_round_trips(case):
    metric = getattr(npkeras.metrics, case["class_name"])(**case["config"])
    config = metric.get_config()
    again = type(metric).from_config(config)
    assert again.get_config() == config


WITH_KERAS_CONFIG = [c for c in CASES if "keras_config" in c]
# Keras 3.15 leaves `axis` out of CosineSimilarity's config (a restored one uses the last axis); ours keeps it.
KEPT_BEYOND_KERAS = {"CosineSimilarity": {"axis"}}


@pytest.mark.parametrize("case", WITH_KERAS_CONFIG, ids=[c["name"] for c in WITH_KERAS_CONFIG])
def test_config_equals_keras(case):
    config = getattr(npkeras.metrics, case["class_name"])(**case["config"]).get_config()
    extra = KEPT_BEYOND_KERAS.get(case["class_name"], set())
    expected = dict(case["keras_config"])
    expected["name"] = re.sub(r"_\d+$", "", expected["name"])  # Keras numbers its second unnamed MeanIoU "mean_io_u_1"
    assert {k: v for k, v in config.items() if k not in extra} == expected
    again = npkeras.metrics.get({"class_name": case["class_name"], "config": json.loads(json.dumps(config))})
    assert again.get_config() == config
