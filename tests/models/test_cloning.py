"""clone_model: the same structure and configs with fresh weights, Keras's clone_function/call_function/recursive."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.models import clone_model

X = np.random.default_rng(0).random((4, 6), dtype=np.float32)


def sequential():
    return npkeras.Sequential(
        [
            npkeras.Input((6,), name="features"),
            layers.Dense(5, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(2),
        ],
        name="stack",
    )


def test_sequential_clone_has_the_same_config_and_fresh_independent_weights():
    model = sequential()
    clone = clone_model(model)
    assert type(clone) is npkeras.Sequential and clone.name == "stack"
    assert clone.get_config() == model.get_config()
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    assert not np.array_equal(clone.layers[0].kernel.data, model.layers[0].kernel.data)  # freshly initialised
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    before = model.get_weights()
    clone.compile(optimizer="sgd", loss="mse")
    clone.fit(X, np.ones((4, 2), np.float32), epochs=1, verbose=0)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)  # training the clone leaves the original alone


def test_functional_clone_keeps_shared_layers_dict_inputs_and_several_outputs():
    a, b = npkeras.Input((6,), name="a"), npkeras.Input((6,), name="b")
    shared = layers.Dense(3, name="shared")
    joined = layers.Concatenate()([shared(a), shared(b)])
    model = npkeras.Model({"a": a, "b": b}, [layers.Dense(1, name="score")(joined), joined], name="siamese")
    clone = clone_model(model)
    assert clone.get_config() == model.get_config()
    assert len(clone.weights) == len(model.weights) == 4  # the shared Dense is one layer in the clone too
    clone.set_weights(model.get_weights())
    inputs = {"a": X, "b": X[::-1].copy()}
    for got, want in zip(clone.predict(inputs, verbose=0), model.predict(inputs, verbose=0)):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_clone_function_and_call_function_replace_layers_and_calls():
    model = sequential()

    def no_dropout(layer):
        if isinstance(layer, layers.Dropout):
            return layers.Activation("linear", name=layer.name)
        return layer.__class__.from_config(layer.get_config())

    clone = clone_model(model, clone_function=no_dropout)
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Activation", "Dense"]

    inputs = npkeras.Input((6,))
    functional = npkeras.Model(inputs, layers.Dense(2, name="head")(layers.Dense(4, name="body")(inputs)))
    calls = []

    def call_function(layer, *args, **kwargs):
        calls.append(layer.name)
        out = layer(*args, **kwargs)
        return layers.Activation("relu")(out) if layer.name == "body" else out

    clone = clone_model(functional, call_function=call_function)
    assert calls == ["body", "head"]
    assert [type(layer).__name__ for layer in clone.layers] == ["InputLayer", "Dense", "Activation", "Dense"]


def test_input_tensors_and_recursive_cloning_of_nested_models():
    inner = npkeras.Sequential([npkeras.Input((6,)), layers.Dense(3, name="inner_dense")], name="inner")
    inputs = npkeras.Input((6,), name="x")
    outer = npkeras.Model(inputs, layers.Dense(1)(inner(inputs)))
    shallow = clone_model(outer)
    assert shallow.layers[1] is not inner  # cloned from its config (a new Sequential) either way
    renamed = []

    def record(layer):
        renamed.append(layer.name)
        return layer.__class__.from_config(layer.get_config())

    new_input = npkeras.Input((6,), name="other")
    deep = clone_model(outer, input_tensors=new_input, clone_function=record, recursive=True)
    assert "inner_dense" in renamed and "inner" not in renamed  # the nested model's layers went through it
    assert deep.inputs[0] is new_input
    assert deep.count_params() == outer.count_params()


def test_subclassed_models_clone_from_config_only():
    class Tiny(npkeras.Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.dense = layers.Dense(units)

        def call(self, x):
            return self.dense(x)

        def get_config(self):
            return {"units": self.units, "name": self.name}

    clone = clone_model(Tiny(3, name="tiny"))
    assert type(clone) is Tiny and clone.units == 3
    with pytest.raises(ValueError, match="only supported for Sequential and functional models"):
        clone_model(Tiny(), clone_function=lambda layer: layer)


def test_unknown_arguments_are_refused():
    with pytest.raises(ValueError, match=r"Unexpected keyword argument\(s\) for clone_model: \['colne_function'\]"):
        clone_model(sequential(), colne_function=None)
