"""Rescaling, Normalization, Resizing, CenterCrop and the augmentation layers match Keras-TensorFlow.

Both fixtures are made by tests/fixtures/make_image_preprocessing_reference.py. The layer cases hold outputs and
the gradients TensorFlow gives (all of these layers are differentiable there); the augmentation cases hold
Keras's output for a transform pinned to one value (a one-number factor range, or the transformation handed to
Keras's own `transform_images`), which the same pinned draw must reproduce here.
"""

import json

import numpy as np
import pytest

import npkeras
from tests.layers.keras_reference import (
    FIXTURES,
    check_keras_config_round_trip,
    check_outputs_and_gradients,
    load_reference,
)

REFERENCE = load_reference("image_preprocessing_reference.npz")

with np.load(FIXTURES / "image_preprocessing_transforms.npz", allow_pickle=False) as _file:
    _ARRAYS = dict(_file)
TRANSFORMS = {
    str(name): {
        "config": json.loads(str(_ARRAYS[f"{name}_config"])),
        "x": _ARRAYS[f"{name}_x"],
        "y": _ARRAYS[f"{name}_y"],
        "y_infer": _ARRAYS[f"{name}_y_infer"],
        "gy": _ARRAYS[f"{name}_gy"],
        "gx": _ARRAYS[f"{name}_gx"],
    }
    for name in _ARRAYS["cases"]
}


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_layer_matches_keras_tensorflow(case):
    check_outputs_and_gradients(REFERENCE[case])


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_keras_serialized_layer_round_trips(case):
    check_keras_config_round_trip(REFERENCE[case])


def _pinned_output(layer, x, transformation):
    """The layer's training-mode output, with Keras's given transformation where the case pins one."""
    if transformation is None:
        return layer(x, training=True)
    if "flips" in transformation:
        return layer.flip(x, np.asarray(transformation["flips"]))
    return layer.adjust(x, transformation["contrast_factor"])


@pytest.mark.parametrize("case", sorted(TRANSFORMS))
def test_pinned_augmentation_matches_keras_tensorflow(case):
    ref = TRANSFORMS[case]
    layer = getattr(npkeras.layers, ref["config"]["class_name"])(**ref["config"]["kwargs"])
    y = _pinned_output(layer, ref["x"], ref["config"]["transformation"])
    np.testing.assert_allclose(np.asarray(y), ref["y"], rtol=1e-4, atol=1e-4)


# TensorFlow's gradient of ImageProjectiveTransformV3 maps the upstream gradient by the inverse transform, which
# is the true adjoint only where the transform permutes pixels inside the image (flips, quarter turns of a square,
# whole-pixel shifts with constant fill). npkeras's is the exact adjoint everywhere (gradient_check in
# tests/ops/test_image.py), so TensorFlow's numbers are compared where they are exact.
EXACT_TF_GRADIENTS = [
    "brightness_0",
    "contrast_0",
    "flip_0",
    "flip_1",
    "flip_2",
    "rotation_0",
    "rotation_1",
    "translation_1",
]


@pytest.mark.parametrize("case", EXACT_TF_GRADIENTS)
def test_pinned_augmentation_gradient_matches_keras_tensorflow(case):
    ref = TRANSFORMS[case]
    layer = getattr(npkeras.layers, ref["config"]["class_name"])(**ref["config"]["kwargs"])
    x = npkeras.ops.convert_to_tensor(ref["x"])
    with npkeras.GradientTape() as tape:
        tape.watch(x)
        loss = npkeras.ops.sum(_pinned_output(layer, x, ref["config"]["transformation"]) * ref["gy"])
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, x)), ref["gx"], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("case", sorted(TRANSFORMS))
def test_augmentation_is_identity_in_inference_as_in_keras(case):
    ref = TRANSFORMS[case]
    layer = getattr(npkeras.layers, ref["config"]["class_name"])(**ref["config"]["kwargs"])
    np.testing.assert_array_equal(ref["y_infer"], ref["x"])
    np.testing.assert_array_equal(np.asarray(layer(ref["x"], training=False)), ref["x"])


@pytest.mark.parametrize("case", sorted(TRANSFORMS))
def test_augmentation_config_round_trips_with_keras(case):
    keras_config = TRANSFORMS[case]["config"]["serialized"]
    layer = npkeras.layers.deserialize(keras_config)
    assert type(layer).__name__ == TRANSFORMS[case]["config"]["class_name"]
    ours = json.loads(json.dumps(npkeras.layers.serialize(layer)))
    ours.pop("build_config", None)
    theirs = dict(keras_config)
    theirs.pop("build_config", None)
    assert ours == theirs
