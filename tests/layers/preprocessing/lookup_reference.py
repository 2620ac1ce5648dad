"""The Keras-TensorFlow reference of the lookup and text layers (tests/fixtures/lookup_reference.json, made by
tests/fixtures/make_lookup_reference.py): run a case here and compare outputs, vocabulary and config."""

import json
from pathlib import Path

import numpy as np

import npkeras as keras
from tests.layers.keras_reference import check_keras_config_round_trip

REFERENCE = json.loads((Path(__file__).parents[2] / "fixtures" / "lookup_reference.json").read_text("utf-8"))
HASHING = REFERENCE["hashing"]


def cases(*class_names):
    return [c for c in REFERENCE["cases"] if c["class_name"] in class_names]


def ids(case_list):
    return [c["name"] for c in case_list]


def run(case):
    """(layer, output array) of the case run in npkeras."""
    kwargs = dict(case["kwargs"])
    if isinstance(kwargs.get("ngrams"), list):
        kwargs["ngrams"] = tuple(kwargs["ngrams"])
    layer = getattr(keras.layers, case["class_name"])(**kwargs)
    if case["adapt"] is not None:
        layer.adapt(np.array(case["adapt"]))
    call_kwargs = {k: np.array(v, dtype="float32") for k, v in case["call_kwargs"].items()}
    return layer, np.asarray(layer(np.array(case["inputs"]), **call_kwargs))


def check_case(case):
    layer, out = run(case)
    expected = np.array(case["outputs"], dtype=str if case["dtype"] == "string" else case["dtype"])
    assert out.shape == expected.shape, (out.shape, expected.shape)
    if case["dtype"] == "string" or np.dtype(case["dtype"]).kind in "iu":
        assert out.dtype.kind == expected.dtype.kind
        np.testing.assert_array_equal(out, expected)
    else:
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    if "vocabulary" in case:
        assert layer.get_vocabulary() == case["vocabulary"]
    if "bin_boundaries" in case:
        np.testing.assert_allclose(layer.bin_boundaries, case["bin_boundaries"], rtol=1e-6)
    return layer


def check_config(case):
    check_keras_config_round_trip({"config": {"serialized": case["serialized"], "class_name": case["class_name"]}})
