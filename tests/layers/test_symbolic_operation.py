"""keras.ops calls and Python operators on KerasTensors: operation nodes of a functional graph, as in Keras 3."""

import json
from pathlib import Path

import numpy as np
import pytest

import npkeras
from npkeras import layers, ops
from tests.fixtures.functional_ops_model import build, inputs, reference

SAVED = Path(__file__).parents[1] / "fixtures" / "keras_saved"


def _dense(model):
    kernel, bias = model.get_layer("dense").get_weights()
    return kernel, bias


def test_a_graph_of_ops_and_operators_computes_what_numpy_computes():
    model = build(npkeras)
    x = inputs()
    np.testing.assert_allclose(model.predict(x, verbose=0), reference(x, *_dense(model)), rtol=1e-5, atol=1e-5)


def test_operations_are_listed_as_keras_lists_them_and_own_no_weights():
    model = build(npkeras)
    names = [op.name for op in model.operations]
    assert [layer.name for layer in model.layers] == ["x", "dense"]  # Keras's `layers` leaves the operations out
    assert {"get_item", "sum", "reshape", "concatenate", "multiply", "add", "greater", "where", "mean"} <= set(names)
    assert type(model.get_layer("dense")).__name__ == "Dense"
    kinds = {type(op).__name__ for op in model.operations}
    assert {"GetItem", "Sum", "Reshape", "Concatenate", "Multiply", "Add", "Power", "Absolute", "Where"} <= kinds
    assert model.count_params() == 24 * 5 + 5
    shapes = dict(zip(names, model.layer_output_shapes()))
    assert shapes["sum"] == (None,) and shapes["reshape"] == (None, 24) and shapes["concatenate"] == (None, 5)


def _comparable(config):
    """A config as JSON gives it back, without the parts that vary with the session (build shapes, object ids)."""
    config = json.loads(json.dumps(config))
    for entry in config["layers"]:
        entry.pop("build_config", None)
        dtype = entry["config"].get("dtype")
        if isinstance(dtype, dict):
            dtype.pop("shared_object_id", None)
    return config


def test_the_config_is_the_one_keras_writes():
    """Layer for layer, the graph's config equals Keras-TensorFlow's for the same model, built in a fresh session."""
    keras_config = _comparable(json.loads(str(np.load(SAVED / "functional_ops_outputs.npz")["config"])))
    npkeras.backend.clear_session()
    ours = _comparable(build(npkeras).get_config())
    assert [e["class_name"] for e in ours["layers"]] == [e["class_name"] for e in keras_config["layers"]]
    for entry, keras_entry in zip(ours["layers"], keras_config["layers"]):
        assert entry == keras_entry
    for key in ("name", "trainable", "input_layers", "output_layers"):
        assert ours[key] == keras_config[key]


def test_an_index_with_slices_ellipsis_and_newaxis_is_saved_as_keras_saves_it():
    x = npkeras.Input((6, 4))
    model = npkeras.Model(x, x[..., None, 1:3:2])
    args = _comparable(model.get_config())["layers"][1]["inbound_nodes"][0]["args"]
    assert args[1] == [
        {"class_name": "__ellipsis__", "config": {}},
        None,
        {"class_name": "__slice__", "config": {"start": 1, "stop": 3, "step": 2}},
    ]
    rebuilt = npkeras.Model.from_config(model.get_config())
    data = np.arange(48, dtype="float32").reshape(2, 6, 4)
    np.testing.assert_array_equal(rebuilt.predict(data, verbose=0), data[..., None, 1:3:2])


def test_a_model_of_operations_saves_loads_and_trains(tmp_path):
    model = build(npkeras)
    path = tmp_path / "ops.keras"
    model.save(path)
    loaded = npkeras.models.load_model(path)
    x = inputs(1)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    loaded.compile(optimizer="adam", loss="mse")
    y = reference(x, *_dense(model)) + 0.5
    before = loaded.evaluate(x, y, verbose=0)
    loaded.fit(x, y, epochs=30, verbose=0)
    assert loaded.evaluate(x, y, verbose=0) < 0.7 * before  # gradients reach the Dense through the operations


def test_a_residual_written_with_plus_trains_like_the_add_layer():
    npkeras.utils.set_random_seed(0)
    x = npkeras.Input((4,))
    plus = npkeras.Model(x, layers.Dense(4, kernel_initializer="ones")(x) + x)
    npkeras.utils.set_random_seed(0)
    x2 = npkeras.Input((4,))
    added = npkeras.Model(x2, layers.Add()([layers.Dense(4, kernel_initializer="ones")(x2), x2]))
    data = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    for model in (plus, added):
        model.compile(optimizer="sgd", loss="mse")
        model.fit(data, data * 0.5, epochs=3, batch_size=8, verbose=0, shuffle=False)
    np.testing.assert_allclose(plus.get_weights()[0], added.get_weights()[0], rtol=1e-6)


def test_ops_of_integer_inputs_keep_their_dtype_and_feed_layers():
    tokens = npkeras.Input((5,), dtype="int32")
    keep = ops.cast(ops.not_equal(tokens, 0), "float32")
    pooled = ops.sum(layers.Embedding(10, 3, embeddings_initializer="ones")(tokens) * keep[..., None], axis=1)
    model = npkeras.Model(tokens, pooled)
    assert keep.dtype == "float32" and ops.shape(keep) == (None, 5)
    out = model.predict(np.array([[1, 2, 0, 0, 0], [3, 0, 0, 0, 0]]), verbose=0)
    np.testing.assert_array_equal(out, [[2, 2, 2], [1, 1, 1]])


def test_a_symbolic_tensor_refuses_truth_and_iteration():
    x = npkeras.Input((3,))
    with pytest.raises(TypeError, match="cannot be used as a boolean"):
        bool(x > 0)
    with pytest.raises(NotImplementedError, match="ops.unstack"):
        list(x)
