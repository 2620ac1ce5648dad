"""The classic models: Keras's parameter counts, default and small input sizes, include_top/pooling, errors."""

import numpy as np
import pytest

import npkeras
from npkeras import applications

# (builder, parameters with the top at its default classes, a small input shape)
MODELS = {
    "LeNet5": (61_706, (32, 32, 3)),
    "AlexNet": (62_378_344, (67, 67, 3)),
    "VGG11": (132_863_336, (32, 32, 3)),
    "VGG13": (133_047_848, (32, 32, 3)),
    "VGG16": (138_357_544, (32, 32, 3)),
    "VGG19": (143_667_240, (32, 32, 3)),
    "ResNet18": (11_699_112, (32, 32, 3)),
    "ResNet34": (21_814_696, (32, 32, 3)),
    "ResNet50": (25_636_712, (32, 32, 3)),
    "ResNet101": (44_707_176, (32, 32, 3)),
    "ResNet152": (60_419_944, (32, 32, 3)),
    "ResNet20": (274_042, (8, 8, 1)),
    "ResNet32": (469_370, (8, 8, 1)),
    "ResNet56": (860_026, (8, 8, 1)),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_parameter_count_at_the_default_size(name):
    model = getattr(applications, name)()
    assert model.count_params() == MODELS[name][0]
    assert model.output_shape == (None, 10 if name in ("LeNet5", "ResNet20", "ResNet32", "ResNet56") else 1000)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_builds_and_runs_at_a_small_size_without_top(name):
    shape = MODELS[name][1]
    model = getattr(applications, name)(include_top=False, pooling="avg", input_shape=shape)
    out = model.predict(np.zeros((2, *shape), np.float32), verbose=0)
    assert out.shape == (2, model.output_shape[-1]) and np.isfinite(out).all()


def test_keras_trainable_counts_of_the_basic_resnets():
    """ResNet18/34's trainable counts are the paper's (and torchvision's); the rest are BatchNorm moving stats."""
    assert sum(w.size for w in applications.ResNet18().trainable_weights) == 11_689_512
    assert sum(w.size for w in applications.ResNet34().trainable_weights) == 21_797_672


def test_resnet50_keeps_keras_layer_names():
    names = [layer.name for layer in applications.ResNet50(input_shape=(32, 32, 3), include_top=False).layers]
    assert names[1:6] == ["conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad"]
    assert "conv2_block1_0_conv" in names and names[-1] == "conv5_block3_out"
    assert names.index("conv2_block1_1_conv") < names.index("conv2_block1_0_conv")  # Keras's depth order


def test_classes_and_classifier_activation():
    model = applications.ResNet20(classes=7, classifier_activation=None, input_shape=(16, 16, 3))
    logits = model.predict(np.random.default_rng(0).random((3, 16, 16, 3), dtype=np.float32), verbose=0)
    assert logits.shape == (3, 7) and not np.allclose(logits.sum(axis=1), 1.0)
    probabilities = applications.LeNet5(classes=3).predict(np.zeros((2, 32, 32, 1), np.float32), verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)


def test_max_pooling_and_no_pooling():
    assert applications.VGG11(include_top=False, input_shape=(64, 64, 3)).output_shape == (None, 2, 2, 512)
    assert applications.VGG11(include_top=False, pooling="max", input_shape=(64, 64, 3)).output_shape == (None, 512)


def test_input_tensor_is_used():
    inputs = npkeras.Input((32, 32, 3))
    model = applications.ResNet20(input_tensor=inputs)
    assert model.inputs[0] is inputs


def test_weights_from_a_file_round_trip(tmp_path):
    model = applications.ResNet20(input_shape=(8, 8, 1))
    path = tmp_path / "resnet20.weights.npz"
    model.save_weights(path)
    again = applications.ResNet20(input_shape=(8, 8, 1), weights=str(path))
    x = np.random.default_rng(1).random((2, 8, 8, 1), dtype=np.float32)
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"weights": "imagenet"}, "cannot download pretrained weights"),
        ({"weights": "/no/such/file.weights.h5"}, "does not exist"),
        ({"input_shape": (16, 16, 3)}, "input size must be at least 32x32"),
        ({"input_shape": (64, 64)}, r"must be \(height, width, channels\)"),
        ({"include_top": False, "pooling": "sum"}, '`pooling` must be None, "avg" or "max"'),
        ({"classes": 0}, "`classes` must be a positive integer"),
        ({"input_shape": (None, None, 3)}, "needs a static input_shape"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        applications.VGG16(**kwargs)


def test_a_training_step_runs_through_a_residual_network():
    model = applications.ResNet20(input_shape=(8, 8, 1), classes=3)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    history = model.fit(rng.random((16, 8, 8, 1), dtype=np.float32), rng.integers(0, 3, 16), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
