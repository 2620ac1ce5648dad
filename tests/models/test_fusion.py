"""Conv2D + MaxPooling2D and BatchNormalization + ReLU run fused (models/fusion.py), as they would apart."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.models import fusion
from npkeras.ops import convolution, normalization


def _pair_model(conv_kwargs=None, pool_kwargs=None, input_shape=(9, 8, 2), conv_class=layers.Conv2D):
    return npkeras.Sequential(
        [
            npkeras.Input(input_shape),
            conv_class(4, 3, **{"activation": "relu", **(conv_kwargs or {})}),
            layers.MaxPooling2D(**(pool_kwargs or {})),
            layers.Flatten(),
            layers.Dense(3),
        ]
    )


def _loss_and_grads(model, x):
    with npkeras.GradientTape() as tape:
        loss = npkeras.ops.sum(npkeras.ops.square(model(x, training=True)))
    return float(loss), [np.asarray(g) for g in tape.gradient(loss, model.trainable_weights)]


def _unfused(model, x):
    """The same model run layer by layer."""
    y = npkeras.ops.convert_to_tensor(x)
    with npkeras.GradientTape() as tape:
        for layer in model.layers:
            y = layer(y, training=True)
        loss = npkeras.ops.sum(npkeras.ops.square(y))
    return float(loss), [np.asarray(g) for g in tape.gradient(loss, model.trainable_weights)]


def _count_fused_ops(monkeypatch):
    calls = []
    original = convolution.ConvMaxPool.forward

    def spy(self, *arrays):
        calls.append(self.pool_size)
        return original(self, *arrays)

    monkeypatch.setattr(convolution.ConvMaxPool, "forward", spy)
    return calls


@pytest.mark.parametrize("activation", ["relu", None])
@pytest.mark.parametrize("pool_size", [(2, 2), (3, 3), (2, 3)])
def test_fused_pair_equals_layers_run_apart(monkeypatch, activation, pool_size):
    model = _pair_model({"activation": activation}, {"pool_size": pool_size})
    x = np.random.default_rng(0).standard_normal((5, 9, 8, 2)).astype("float32")
    calls = _count_fused_ops(monkeypatch)
    fused_loss, fused_grads = _loss_and_grads(model, x)
    assert calls == [pool_size]
    loss, grads = _unfused(model, x)
    assert fused_loss == pytest.approx(loss, rel=1e-6)
    for got, want in zip(fused_grads, grads):  # the fused GEMM sums its rows in another order
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * np.abs(want).max())


def test_ties_go_to_the_first_maximum_as_without_fusion(monkeypatch):
    """A constant image makes every window's values equal (after the bias): the gradient still
    goes to each window's first position, exactly as the unfused layers send it."""
    model = _pair_model()
    model.layers[0].bias.assign(np.full(4, 0.5, "float32"))
    x = np.ones((2, 9, 8, 2), "float32")
    calls = _count_fused_ops(monkeypatch)
    fused_loss, fused_grads = _loss_and_grads(model, x)
    loss, grads = _unfused(model, x)
    assert calls and fused_loss == pytest.approx(loss)
    for got, want in zip(fused_grads, grads):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "conv_kwargs, pool_kwargs",
    [
        ({"activation": "tanh"}, {}),
        ({"activity_regularizer": "l2"}, {}),
        ({}, {"padding": "same"}),
        ({}, {"pool_size": 2, "strides": 1}),
        ({"data_format": "channels_first"}, {"data_format": "channels_first"}),
    ],
    ids=["tanh", "activity-regularizer", "same-pool", "overlapping-pool", "channels-first"],
)
def test_pairs_that_could_differ_are_not_fused(monkeypatch, conv_kwargs, pool_kwargs):
    input_shape = (2, 9, 8) if conv_kwargs.get("data_format") == "channels_first" else (9, 8, 2)
    model = _pair_model(conv_kwargs, pool_kwargs, input_shape)
    calls = _count_fused_ops(monkeypatch)
    model.predict(np.zeros((2, *input_shape), "float32"), verbose=0)
    assert calls == []


def test_a_subclass_overriding_call_is_not_fused(monkeypatch):
    class Doubled(layers.Conv2D):
        def call(self, inputs):
            return super().call(inputs) * 2.0

    model = _pair_model(conv_class=Doubled)
    calls = _count_fused_ops(monkeypatch)
    x = np.ones((1, 9, 8, 2), "float32")
    y = model.predict(x, verbose=0)
    assert calls == []
    conv_out = np.asarray(model.layers[0](x))
    assert np.allclose(conv_out, 2 * np.asarray(layers.Conv2D.call(model.layers[0], npkeras.ops.convert_to_tensor(x))))
    assert y.shape == (1, 3)


def test_output_smaller_than_the_pool_raises_the_pooling_error():
    conv, pool = layers.Conv2D(2, 3, name="c"), layers.MaxPooling2D(4, name="p")
    conv.build((None, 5, 5, 1))
    x = npkeras.ops.zeros((1, 5, 5, 1))
    assert fusion.call_fused(conv, pool, x) is None
    with pytest.raises(ValueError, match='"p"'):
        pool(conv(x))


def test_notes_cnn_runs_both_pairs_fused(monkeypatch):
    from npkeras.cli import MODELS

    model = MODELS["cnn"][0]()
    calls = _count_fused_ops(monkeypatch)
    model.predict(np.zeros((2, 28, 28, 1), "float32"), verbose=0)
    assert calls == [(2, 2), (2, 2)]


def _functional_cnn(branch=False, conv_is_output=False):
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((9, 8, 2))
    conv = layers.Conv2D(4, 3, activation="relu", name="conv")(inputs)
    pooled = layers.MaxPooling2D(name="pool")(conv)
    head = layers.Dense(3, name="head")(layers.Flatten()(pooled))
    if branch:  # the convolution's output feeds a second layer too
        head = layers.Add()([head, layers.Dense(3)(layers.GlobalAveragePooling2D()(conv))])
    return npkeras.Model(inputs, [head, conv] if conv_is_output else head)


def _unfused_graph(model, x):
    """Loss and gradients of the model run node by node, each layer called on its own."""
    values = {id(model.inputs[0]): npkeras.ops.convert_to_tensor(x)}
    with npkeras.GradientTape() as tape:
        for node in model._nodes:
            args = [values[id(t)] for t in node.input_tensors]
            out = node.layer(args if len(args) > 1 else args[0], training=True)
            values[id(node.output_tensors[0])] = out
        loss = npkeras.ops.sum(npkeras.ops.square(values[id(model.outputs[0])]))
    return float(loss), [np.asarray(g) for g in tape.gradient(loss, model.trainable_weights)]


def test_a_functional_cnn_runs_its_pair_fused_with_the_unfused_results(monkeypatch):
    model = _functional_cnn()
    x = np.random.default_rng(0).standard_normal((5, 9, 8, 2)).astype("float32")
    calls = _count_fused_ops(monkeypatch)
    fused_loss, fused_grads = _loss_and_grads(model, x)
    assert calls == [(2, 2)]
    loss, grads = _unfused_graph(model, x)
    assert fused_loss == pytest.approx(loss, rel=1e-6)
    for got, want in zip(fused_grads, grads):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{"branch": True}, {"conv_is_output": True}], ids=["shared", "model-output"])
def test_a_convolution_whose_output_is_seen_elsewhere_is_not_fused(monkeypatch, kwargs):
    model = _functional_cnn(**kwargs)
    calls = _count_fused_ops(monkeypatch)
    model.predict(np.zeros((2, 9, 8, 2), "float32"), verbose=0)
    assert calls == []


def test_a_pair_changed_after_planning_runs_unfused(monkeypatch):
    model = _functional_cnn()
    x = np.random.default_rng(1).standard_normal((2, 9, 8, 2)).astype("float32")
    model.predict(x, verbose=0)  # planned and run fused
    model.get_layer("conv").activation = npkeras.activations.get("tanh")
    calls = _count_fused_ops(monkeypatch)
    out = model.predict(x, verbose=0)
    assert calls == []
    conv, pool = model.get_layer("conv"), model.get_layer("pool")
    expected = model.get_layer("head")(layers.Flatten()(pool(conv(x))))
    np.testing.assert_allclose(out, expected.numpy(), rtol=1e-6)


def test_applications_get_the_fused_pairs(monkeypatch):
    model = npkeras.applications.VGG11(weights=None, input_shape=(32, 32, 3), classes=10)
    calls = _count_fused_ops(monkeypatch)
    model.predict(np.zeros((1, 32, 32, 3), "float32"), verbose=0)
    assert len(calls) == 5  # each block's last convolution with the block's pooling


# ---- BatchNormalization + ReLU ----------------------------------------------------------


def _norm_relu_model(relu):
    npkeras.utils.set_random_seed(0)
    return npkeras.Sequential(
        [
            npkeras.Input((6, 5, 3)),
            layers.Conv2D(4, 3),
            layers.BatchNormalization(),
            relu,
            layers.Flatten(),
            layers.Dense(2),
        ]
    )


def _count_relu_norm_ops(monkeypatch):
    calls = []
    for op in (normalization.BatchNormTraining, normalization.ScaleShift):
        original = op.forward

        def spy(self, *arrays, _original=original, **kwargs):
            calls.append((type(self).__name__, self.relu))
            return _original(self, *arrays, **kwargs)

        monkeypatch.setattr(op, "forward", spy)
    return calls


@pytest.mark.parametrize("relu", [layers.ReLU(), layers.Activation("relu")], ids=["ReLU", "Activation"])
def test_batch_norm_then_relu_runs_as_one_op_with_the_unfused_results(monkeypatch, relu):
    x = np.random.default_rng(2).standard_normal((7, 6, 5, 3)).astype("float32")
    model, twin = _norm_relu_model(relu), _norm_relu_model(type(relu)(**relu.get_config()))
    calls = _count_relu_norm_ops(monkeypatch)
    fused_loss, fused_grads = _loss_and_grads(model, x)
    assert calls == [("BatchNormTraining", True)]
    loss, grads = _unfused(twin, x)
    assert fused_loss == loss
    for got, want in zip(fused_grads, grads, strict=True):
        np.testing.assert_array_equal(got, want)
    norm, twin_norm = model.layers[1], twin.layers[1]
    np.testing.assert_array_equal(norm.moving_mean.numpy(), twin_norm.moving_mean.numpy())
    np.testing.assert_array_equal(norm.moving_variance.numpy(), twin_norm.moving_variance.numpy())
    calls.clear()
    np.testing.assert_array_equal(model.predict(x, verbose=0), twin.predict(x, verbose=0))
    assert calls[0] == ("ScaleShift", True)


@pytest.mark.parametrize(
    "relu",
    [layers.ReLU(max_value=6.0), layers.ReLU(negative_slope=0.1), layers.LeakyReLU(), layers.Activation("tanh")],
    ids=["relu6", "leaky-ReLU", "LeakyReLU", "tanh"],
)
def test_batch_norm_then_another_activation_is_not_fused(monkeypatch, relu):
    calls = _count_relu_norm_ops(monkeypatch)
    _loss_and_grads(_norm_relu_model(relu), np.ones((2, 6, 5, 3), "float32"))
    assert calls == [("BatchNormTraining", False)]


def test_a_batch_norm_whose_output_is_seen_elsewhere_is_not_fused(monkeypatch):
    inputs = npkeras.Input((4, 3))
    normed = layers.BatchNormalization()(inputs)
    outputs = layers.Add()([layers.ReLU()(normed), normed])
    calls = _count_relu_norm_ops(monkeypatch)
    npkeras.Model(inputs, outputs).predict(np.ones((2, 4, 3), "float32"), verbose=0)
    assert calls == [("ScaleShift", False)]


def test_a_frozen_batch_norm_then_relu_trains_the_layers_before_it_as_unfused(monkeypatch):
    x = np.random.default_rng(3).standard_normal((7, 6, 5, 3)).astype("float32")
    model, twin = _norm_relu_model(layers.ReLU()), _norm_relu_model(layers.ReLU())
    model.layers[1].trainable = twin.layers[1].trainable = False  # inference statistics, gradients still flow
    calls = _count_relu_norm_ops(monkeypatch)
    fused_loss, fused_grads = _loss_and_grads(model, x)
    assert calls == [("ScaleShift", True)]
    loss, grads = _unfused(twin, x)
    assert fused_loss == pytest.approx(loss, rel=1e-6)
    for got, want in zip(fused_grads, grads, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_resnet_blocks_get_batch_norm_then_relu_fused(monkeypatch):
    model = npkeras.applications.ResNet20(input_shape=(32, 32, 3), classes=10)
    calls = _count_relu_norm_ops(monkeypatch)
    model.predict(np.zeros((1, 32, 32, 3), "float32"), verbose=0)
    assert calls.count(("ScaleShift", True)) == 10  # the stem and each basic block's first batch norm


# ---- Add + ReLU -------------------------------------------------------------------------


def _residual_model(branches=2):
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((5, 4, 3))
    added = layers.Add()([layers.Conv2D(3, 3, padding="same")(inputs) for _ in range(branches - 1)] + [inputs])
    head = layers.Dense(2)(layers.Flatten()(layers.ReLU()(added)))
    return npkeras.Model(inputs, head)


def _count_add_relu_ops(monkeypatch):
    calls = []
    original = npkeras.ops.nn.AddRelu.forward
    monkeypatch.setattr(npkeras.ops.nn.AddRelu, "forward", lambda self, *a: calls.append(1) or original(self, *a))
    return calls


@pytest.mark.parametrize("branches", [2, 3])
def test_add_then_relu_runs_fused_with_the_unfused_results(monkeypatch, branches):
    model = _residual_model(branches)
    x = np.random.default_rng(4).standard_normal((6, 5, 4, 3)).astype("float32")
    calls = _count_add_relu_ops(monkeypatch)
    fused_loss, fused_grads = _loss_and_grads(model, x)
    assert len(calls) == (1 if branches == 2 else 0)  # three inputs: Add, then ReLU, inside the planned layer
    loss, grads = _unfused_graph(model, x)
    assert fused_loss == loss
    for got, want in zip(fused_grads, grads, strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(model.predict(x, verbose=0), model(x).numpy())


def test_resnet_blocks_end_in_a_fused_add_and_relu(monkeypatch):
    model = npkeras.applications.ResNet20(input_shape=(32, 32, 3), classes=10)
    calls = _count_add_relu_ops(monkeypatch)
    model.predict(np.zeros((1, 32, 32, 3), "float32"), verbose=0)
    assert len(calls) == 9
