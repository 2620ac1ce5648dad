"""Check npkeras layers against a reference file made by tests/fixtures/keras_layer_reference.py."""

import json
from pathlib import Path

import numpy as np

import npkeras

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RTOL, ATOL = 1e-4, 1e-5


def load_reference(file_name):
    """Every case of a reference file: {case name: {key without the prefix: value}}, configs parsed."""
    with np.load(FIXTURES / file_name, allow_pickle=False) as ref:
        arrays = dict(ref)
    cases = {}
    for name in (str(n) for n in arrays["cases"]):
        case = {key[len(name) + 1 :]: value for key, value in arrays.items() if key.startswith(name + "_")}
        case["config"] = json.loads(str(case["config"]))
        cases[name] = case
    return cases


def _inputs(ref):
    xs = [ref[f"x{i}"] for i in range(len([k for k in ref if k[0] == "x" and k[1:].isdigit()]))]
    single = not isinstance(ref["config"]["inputs"][0], (list, tuple))
    return xs, single


def _call_inputs(xs, single, config):
    """The layer's positional arguments: one input, the list of inputs, or (with "positional") each input."""
    if single:
        return [xs[0]]
    return list(xs) if config.get("positional") else [xs]


def check_outputs_and_gradients(ref):
    """Build the case's layer, give it the reference weights, and compare y, y_infer, gradients and state."""
    config = ref["config"]
    layer = getattr(npkeras.layers, config["class_name"])(**config["kwargs"])
    xs, single = _inputs(ref)
    call_kwargs = dict(config.get("call_kwargs", {}))
    if "mask" in config:
        call_kwargs["mask"] = np.array(config["mask"], dtype=bool)
    if "mask_list" in config:
        call_kwargs["mask"] = [None if m is None else np.array(m, dtype=bool) for m in config["mask_list"]]
    for key, m in config.get("mask_kwargs", {}).items():
        call_kwargs[key] = np.array(m, dtype=bool)
    layer(*_call_inputs(xs, single, config), **call_kwargs)  # build
    assert len(layer.weights) == config["n_weights"]
    assert len(layer.trainable_weights) == config["n_trainable"]
    weights = [ref[f"w{i}"] for i in range(config["n_weights"])]
    layer.set_weights(weights)

    y_infer = layer(*_call_inputs(xs, single, config), training=False, **call_kwargs)
    np.testing.assert_allclose(np.asarray(y_infer), ref["y_infer"], rtol=RTOL, atol=ATOL, err_msg="inference")

    tensors = [npkeras.ops.convert_to_tensor(x) for x in xs]
    gy = npkeras.ops.convert_to_tensor(ref["gy"])
    with npkeras.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        y = layer(*_call_inputs(tensors, single, config), training=config.get("training", False), **call_kwargs)
        loss = npkeras.ops.sum(npkeras.ops.cast(y, "float32") * gy)
    assert tuple(y.shape) == ref["y"].shape
    np.testing.assert_allclose(np.asarray(y), ref["y"], rtol=RTOL, atol=ATOL, err_msg="output")
    if config.get("gradients", True):
        differentiable = not config.get("int_inputs")
        sources = (tensors if differentiable else []) + list(layer.trainable_weights)
        grads = tape.gradient(loss, sources)
        n_x = len(sources) - len(layer.trainable_weights)
        for i in range(n_x):
            np.testing.assert_allclose(np.asarray(grads[i]), ref[f"gx{i}"], rtol=RTOL, atol=ATOL, err_msg=f"d x{i}")
        for i, grad in enumerate(grads[n_x:]):
            name = layer.trainable_weights[i].name
            np.testing.assert_allclose(np.asarray(grad), ref[f"gw{i}"], rtol=RTOL, atol=ATOL, err_msg=f"d {name}")
    for i, w in enumerate(layer.non_trainable_weights):
        np.testing.assert_allclose(np.asarray(w), ref[f"state{i}"], rtol=RTOL, atol=ATOL, err_msg=f"state {w.name}")


def check_keras_config_round_trip(ref):
    """The layer Keras serialized loads here as the same class and serializes back to the same config.

    build_config is left out: npkeras builds a deserialized layer on its first call, not from that key.
    """
    keras_config = json.loads(ref["config"]["serialized"])
    layer = npkeras.layers.deserialize(keras_config)
    assert type(layer).__name__ == ref["config"]["class_name"]
    ours = json.loads(json.dumps(npkeras.layers.serialize(layer)))
    ours.pop("build_config", None)
    keras_config.pop("build_config", None)
    assert ours == keras_config
