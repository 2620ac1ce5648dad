"""Conv, pooling, padding and BatchNormalization layers match Keras-TensorFlow: outputs, gradients, moving stats.

The fixture is made by tests/fixtures/make_conv_reference.py; each case holds the constructor kwargs, the input,
the weights, the output and the gradients of sum(y * gy) for a random upstream gradient gy.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import npkeras

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "conv_reference.npz"
with np.load(FIXTURE, allow_pickle=False) as _ref:
    CASES = [str(name) for name in _ref["cases"]]

RTOL, ATOL = 1e-4, 1e-5


@pytest.fixture(scope="module")
def reference():
    with np.load(FIXTURE, allow_pickle=False) as ref:
        return dict(ref)


@pytest.mark.parametrize("case", CASES)
def test_layer_matches_keras_tensorflow(reference, case):
    ref = {key[len(case) + 1 :]: value for key, value in reference.items() if key.startswith(case + "_")}
    config = json.loads(str(ref["config"]))
    layer = getattr(npkeras.layers, config["class_name"])(**config["kwargs"])
    x = ref["x"]
    layer(x)  # build
    weights = [ref[f"w{i}"] for i in range(config["n_weights"])]
    assert len(layer.weights) == config["n_weights"]
    assert len(layer.trainable_weights) == config["n_trainable"]
    layer.set_weights(weights)

    if "y_infer" in ref:  # BatchNormalization: inference with the stored moving stats, before any update
        y_infer = layer(x, training=False)
        np.testing.assert_allclose(np.asarray(y_infer), ref["y_infer"], rtol=RTOL, atol=ATOL)
        for got, want in zip(layer.get_weights(), weights):
            np.testing.assert_array_equal(got, want)  # an inference call leaves the moving stats alone

    x_tensor = npkeras.ops.convert_to_tensor(x)
    gy = npkeras.ops.convert_to_tensor(ref["gy"])
    with npkeras.GradientTape() as tape:
        tape.watch(x_tensor)
        y = layer(x_tensor, training=config["training"])
        loss = npkeras.ops.sum(y * gy)
    grads = tape.gradient(loss, [x_tensor] + layer.trainable_weights)

    assert tuple(y.shape) == ref["y"].shape
    np.testing.assert_allclose(np.asarray(y), ref["y"], rtol=RTOL, atol=ATOL, err_msg="output")
    np.testing.assert_allclose(np.asarray(grads[0]), ref["gx"], rtol=RTOL, atol=ATOL, err_msg="gradient of x")
    for i, grad in enumerate(grads[1:]):
        name = layer.trainable_weights[i].name
        np.testing.assert_allclose(np.asarray(grad), ref[f"gw{i}"], rtol=RTOL, atol=ATOL, err_msg=f"gradient of {name}")

    if "moving_mean" in ref:
        np.testing.assert_allclose(np.asarray(layer.moving_mean), ref["moving_mean"], rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(np.asarray(layer.moving_variance), ref["moving_variance"], rtol=RTOL, atol=ATOL)
