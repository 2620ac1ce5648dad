"""Conv2D + MaxPooling2D run fused (models/fusion.py) with results identical to running them apart."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.models import fusion
from npkeras.ops import convolution


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
