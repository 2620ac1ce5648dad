"""SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed, Embedding and Masking match Keras-TensorFlow.

The fixture is made by tests/fixtures/make_rnn_reference.py: rnn_reference.json lists the cases (the layer specs
with Keras's constructor arguments, whether a mask or initial states are passed, where each array sits) and
rnn_reference.npz holds the arrays: the input, the mask and initial states when given, the weights, every output
(the states too, for return_state=True), a random cotangent per output, and the gradients of
sum_i sum(y_i * cot_i) with respect to the input, every weight and the initial states.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import npkeras

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = json.loads((FIXTURES / "rnn_reference.json").read_text())["cases"]
TOLERANCE = {"float64": {"rtol": 1e-4, "atol": 1e-6}, "float32": {"rtol": 1e-4, "atol": 1e-5}}


@pytest.fixture(scope="module")
def reference():
    with np.load(FIXTURES / "rnn_reference.npz", allow_pickle=False) as ref:
        return dict(ref)


def case_arrays(reference, case):
    """The case's arrays by key (x, mask, s<i>, w<i>, y<i>, cot<i>, gx, gw<i>, gs<i>), cut from the packed npz."""
    arrays = {}
    for key, where in case["arrays"].items():
        flat = reference[f"{case['name']}.{where['dtype']}"]
        size = int(np.prod(where["shape"], dtype=np.int64))
        arrays[key] = flat[where["offset"] : where["offset"] + size].reshape(where["shape"])
    return arrays


def build_layer(spec):
    """A layer from a Keras spec {"class_name", "config"}; a wrapper's inner layer is the spec in config["layer"]."""
    config = dict(spec["config"])
    if "layer" in config:
        config["layer"] = build_layer(config["layer"])
    return getattr(npkeras.layers, spec["class_name"])(**config)


def apply(layers, case, x, mask, states):
    """Call the layers one after the other, as the generator did; the last layer's outputs as a list."""
    h = x
    for i, layer in enumerate(layers):
        kwargs = {}
        if i == 0 and mask is not None:
            kwargs["mask"] = mask
        if i == 0 and states:
            kwargs["initial_state"] = list(states)
        if i == 1 and case["chain_mask"]:
            kwargs["mask"] = layers[0].compute_mask(x)
        h = layer(h, **kwargs)
    return list(h) if isinstance(h, (list, tuple)) else [h]


def assert_close(got, want, tolerance, what):
    if got is None:  # no path from the loss: only right where Keras's gradient is zero too
        assert not np.any(want), f"{what}: no gradient, but Keras's is nonzero"
        return
    got = np.asarray(got)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, Keras {want.shape}"
    np.testing.assert_allclose(got, want, **tolerance, err_msg=what)


@pytest.mark.parametrize("case", [pytest.param(case, id=case["name"]) for case in CASES])
def test_recurrent_layer_matches_keras_tensorflow(reference, case):
    ref = case_arrays(reference, case)
    dtype = case["dtype"]
    tolerance = TOLERANCE[dtype]
    layers = [build_layer(spec) for spec in case["layers"]]

    if case["int_input"]:
        x = ref["x"]  # token ids, as a user passes them
    else:
        x = npkeras.ops.convert_to_tensor(ref["x"], dtype=dtype)
    mask = ref.get("mask")
    states = [npkeras.ops.convert_to_tensor(ref[f"s{i}"], dtype=dtype) for i in range(case["n_states"])]
    apply(layers, case, x, mask, states)  # build

    first = 0
    for layer, n in zip(layers, case["n_weights"]):
        assert len(layer.weights) == n, f"{layer.name}: {len(layer.weights)} weights, Keras has {n}"
        assert len(layer.trainable_weights) == n, f"{layer.name}: {len(layer.trainable_weights)} trainable weights"
        layer.set_weights([ref[f"w{i}"] for i in range(first, first + n)])
        first += n
    variables = [w for layer in layers for w in layer.trainable_weights]

    cotangents = [npkeras.ops.convert_to_tensor(ref[f"cot{i}"], dtype=dtype) for i in range(case["n_outputs"])]
    with npkeras.GradientTape() as tape:
        if not case["int_input"]:
            tape.watch(x)
        for state in states:
            tape.watch(state)
        outputs = apply(layers, case, x, mask, states)
        assert len(outputs) == case["n_outputs"], f"{len(outputs)} outputs, Keras returns {case['n_outputs']}"
        loss = npkeras.ops.sum(outputs[0] * cotangents[0])
        for y, cot in zip(outputs[1:], cotangents[1:]):
            loss = loss + npkeras.ops.sum(y * cot)
    sources = ([] if case["int_input"] else [x]) + variables + states
    grads = tape.gradient(loss, sources)

    for i, y in enumerate(outputs):
        assert np.asarray(y).dtype == np.dtype(dtype), f"output {i}: dtype {np.asarray(y).dtype}, Keras {dtype}"
        assert_close(y, ref[f"y{i}"], tolerance, f"output {i}")
    if not case["int_input"]:
        gx, grads = grads[0], grads[1:]
        assert_close(gx, ref["gx"], tolerance, "gradient of the input")
    paths = case["weight_paths"]
    for i, grad in enumerate(grads[: len(variables)]):
        assert_close(grad, ref[f"gw{i}"], tolerance, f"gradient of weight {i} ({paths[i]} in Keras)")
    for i, grad in enumerate(grads[len(variables) :]):
        assert_close(grad, ref[f"gs{i}"], tolerance, f"gradient of initial state {i}")
