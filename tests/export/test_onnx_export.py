"""ONNX export: every exported model, run by ONNX Runtime, predicts what model.predict does.

Within 1e-5 (relative to the outputs' scale where they pass 1: ResNet-50's deep sums reach 10s), float32.
"""

from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

import npkeras  # noqa: E402
from npkeras import cli, layers  # noqa: E402
from npkeras.export import export_onnx  # noqa: E402

_ORT_TYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64, "tensor(int32)": np.int32,
              "tensor(int64)": np.int64}  # fmt: skip


def _run(path, inputs):
    """ONNX Runtime's outputs, each input cast to the graph's input dtype (as Keras casts to the Input's)."""
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {i.name: np.asarray(x, _ORT_TYPES[i.type]) for i, x in zip(session.get_inputs(), inputs, strict=True)}
    return session.run(None, feeds)


def assert_exports_exactly(model, tmp_path, make_inputs, batches=(1, 5), atol=1e-5):
    path = export_onnx(model, tmp_path / "model.onnx")
    onnx.checker.check_model(onnx.load(path), full_check=True)
    for batch in batches:
        inputs = make_inputs(batch)
        expected = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
        expected = expected if isinstance(expected, list) else [expected]
        got = _run(path, inputs)
        assert len(got) == len(expected)
        for g, e in zip(got, expected, strict=True):
            assert g.shape == e.shape
            np.testing.assert_allclose(g, e, atol=atol * max(1.0, float(np.abs(e).max())), rtol=1e-5)  # float32
    return path


def _images(shape, seed=0):
    rng = np.random.default_rng(seed)
    return lambda batch: [rng.standard_normal((batch, *shape)).astype("float32")]


def _randomize_batch_norm(model):
    rng = np.random.default_rng(1)
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            n = layer.moving_mean.shape[0]
            layer.moving_mean.assign(rng.standard_normal(n).astype("float32"))
            layer.moving_variance.assign(rng.uniform(0.5, 2, n).astype("float32"))
            layer.gamma.assign(rng.uniform(0.5, 2, n).astype("float32"))
            layer.beta.assign(rng.standard_normal(n).astype("float32"))


def test_the_notes_cnn_runs_in_onnx_runtime_as_in_npkeras(tmp_path):
    model = npkeras.Sequential([
        npkeras.Input((28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])  # fmt: skip
    path = assert_exports_exactly(model, tmp_path, _images((28, 28, 1)))
    graph = onnx.load(path).graph
    assert [n.op_type for n in graph.node].count("Transpose") == 2  # at the input and before Flatten only
    assert [o.name for o in graph.output] == [model.layers[-1].name]
    assert graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"


@pytest.mark.parametrize(
    "make_layer",
    [
        lambda: layers.Conv2D(4, 3, padding="same", strides=2),
        lambda: layers.Conv2D(4, (3, 2), padding="same", dilation_rate=2, use_bias=False),
        lambda: layers.Conv2D(4, 3, padding="valid", strides=(2, 1), activation="tanh"),
        lambda: layers.MaxPooling2D(3, strides=2, padding="same"),
        lambda: layers.AveragePooling2D(3, strides=2, padding="same"),
        lambda: layers.AveragePooling2D(2),
        lambda: layers.GlobalAveragePooling2D(),
        lambda: layers.GlobalMaxPooling2D(keepdims=True),
        lambda: layers.ZeroPadding2D(((1, 2), (0, 3))),
        lambda: layers.BatchNormalization(epsilon=0.01),
        lambda: layers.BatchNormalization(axis=1),
        lambda: layers.SpatialDropout2D(0.5),
        lambda: layers.Flatten(),
        lambda: layers.Reshape((-1, 3)),
    ],
    ids=lambda make: type(make()).__name__,
)
def test_each_image_layer_matches(make_layer, tmp_path):
    model = npkeras.Sequential([npkeras.Input((7, 6, 3)), layers.Conv2D(3, 1), make_layer()])
    _randomize_batch_norm(model)
    assert_exports_exactly(model, tmp_path, _images((7, 6, 3)))


@pytest.mark.parametrize(
    "make_layer",
    [
        lambda: layers.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu"),
        lambda: layers.Conv1D(4, 3, padding="same", strides=2),
        lambda: layers.MaxPooling1D(2),
        lambda: layers.AveragePooling1D(3, strides=1, padding="same"),
        lambda: layers.GlobalAveragePooling1D(),
        lambda: layers.GlobalMaxPooling1D(),
        lambda: layers.ZeroPadding1D((2, 1)),
        lambda: layers.Dense(5, activation="gelu"),
        lambda: layers.TimeDistributed(layers.Dense(2, activation="relu")),
    ],
    ids=lambda make: type(make()).__name__,
)
def test_each_sequence_layer_matches(make_layer, tmp_path):
    model = npkeras.Sequential([npkeras.Input((9, 3)), make_layer()])
    assert_exports_exactly(model, tmp_path, _images((9, 3)))


@pytest.mark.parametrize(
    "activation",
    ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "leaky_relu", "elu", "gelu", "relu6",
     "hard_sigmoid", "softsign", "softplus", "selu", "silu", "swish", "exponential"],
)  # fmt: skip
def test_every_named_activation_matches(activation, tmp_path):
    model = npkeras.Sequential([npkeras.Input((6,)), layers.Dense(4), layers.Activation(activation)])
    assert_exports_exactly(model, tmp_path, _images((6,)))


def test_functional_graph_with_two_inputs_two_outputs_merges_and_names(tmp_path):
    image = npkeras.Input((8, 8, 2), name="image")
    extra = npkeras.Input((4,), name="extra")
    a = layers.Conv2D(4, 3, padding="same", activation="relu")(image)
    b = layers.Conv2D(4, 1)(image)
    merged = layers.Add()([a, b])
    for merge in (layers.Subtract(), layers.Multiply(), layers.Average(), layers.Maximum(), layers.Minimum()):
        merged = merge([merged, b])
    both = layers.Concatenate()([merged, a])
    pooled = layers.GlobalAveragePooling2D()(both)
    joined = layers.concatenate([pooled, layers.Dense(3)(extra)])
    label = layers.Dense(2, activation="softmax", name="label")(joined)
    score = layers.Dense(1, name="score")(pooled)
    model = npkeras.Model([image, extra], [label, score])
    rng = np.random.default_rng(0)
    path = assert_exports_exactly(
        model, tmp_path, lambda n: [rng.standard_normal((n, 8, 8, 2), dtype="float32"),
                                    rng.standard_normal((n, 4), dtype="float32")]
    )  # fmt: skip
    graph = onnx.load(path).graph
    assert [i.name for i in graph.input] == ["image", "extra"]
    assert [o.name for o in graph.output] == ["label", "score"]


def test_nested_models_are_exported_inline(tmp_path):
    inner = npkeras.Sequential([npkeras.Input((5,)), layers.Dense(4, activation="relu")], name="inner")
    x = npkeras.Input((5,))
    model = npkeras.Model(x, layers.Dense(2)(inner(x)))
    assert_exports_exactly(model, tmp_path, _images((5,)))


def test_embedding_with_a_masked_average_matches(tmp_path):
    model = npkeras.Sequential([
        npkeras.Input((6,), dtype="int32"),
        layers.Embedding(20, 4, mask_zero=True),
        layers.GlobalAveragePooling1D(),
        layers.Dense(3),
    ])  # fmt: skip
    rng = np.random.default_rng(0)

    def ids(batch):
        x = rng.integers(1, 20, (batch, 6)).astype("int32")
        x[:, :2] = 0  # padded before, as pad_sequences does
        return [x]

    assert_exports_exactly(model, tmp_path, ids)


def test_masking_layer_matches(tmp_path):
    model = npkeras.Sequential([npkeras.Input((5, 3)), layers.Masking(0.0), layers.GlobalAveragePooling1D()])

    def steps(batch):
        x = np.random.default_rng(batch).standard_normal((batch, 5, 3)).astype("float32")
        x[:, 3:] = 0.0
        return [x]

    assert_exports_exactly(model, tmp_path, steps)


def test_a_layer_without_onnx_form_is_named_and_nothing_is_written(tmp_path):
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Lambda(lambda t: t * 2, name="doubler")])
    target = tmp_path / "model.onnx"
    with pytest.raises(ValueError, match='Layer "doubler" \\(Lambda\\) has no ONNX form'):
        export_onnx(model, target)
    assert list(tmp_path.iterdir()) == []


def test_opset_out_of_range_is_refused(tmp_path):
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="opset must be between"):
        export_onnx(model, tmp_path / "m.onnx", opset=9)


def test_newer_opsets_take_reduction_axes_as_inputs(tmp_path):
    model = npkeras.Sequential([npkeras.Input((4, 4, 2)), layers.GlobalMaxPooling2D(), layers.Dense(2, "gelu")])
    path = export_onnx(model, tmp_path / "m.onnx", opset=20)
    x = np.random.default_rng(0).standard_normal((3, 4, 4, 2)).astype("float32")
    np.testing.assert_allclose(_run(path, [x])[0], model.predict(x, verbose=0), atol=1e-5)


def _sequences(steps, features=3):
    rng = np.random.default_rng(steps)
    return lambda batch: [rng.standard_normal((batch, steps, features)).astype("float32")]


@pytest.mark.parametrize(
    "make_layer",
    [
        lambda: layers.SimpleRNN(4),
        lambda: layers.SimpleRNN(4, activation="relu", return_sequences=True, go_backwards=True),
        lambda: layers.LSTM(5),
        lambda: layers.LSTM(5, return_sequences=True, recurrent_activation="hard_sigmoid"),
        lambda: layers.LSTM(5, go_backwards=True, use_bias=False),
        lambda: layers.GRU(4),
        lambda: layers.GRU(4, reset_after=False, return_sequences=True),
        lambda: layers.GRU(4, go_backwards=True, return_sequences=True),
        lambda: layers.Bidirectional(layers.LSTM(3, return_sequences=True)),
        lambda: layers.Bidirectional(layers.GRU(3), merge_mode="sum"),
        lambda: layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True), merge_mode="ave"),
    ],
    ids=lambda make: type(make()).__name__,
)
@pytest.mark.parametrize("steps", [4, 7])
def test_recurrent_layers_match_at_two_sequence_lengths(make_layer, steps, tmp_path):
    model = npkeras.Sequential([npkeras.Input((None, 3)), make_layer()])
    rng = np.random.default_rng(0)
    model.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()])
    assert_exports_exactly(model, tmp_path, _sequences(steps))


def test_recurrent_states_in_and_out(tmp_path):
    x = npkeras.Input((5, 3))
    h0, c0 = npkeras.Input((4,)), npkeras.Input((4,))
    out, h, c = layers.LSTM(4, return_state=True, return_sequences=True)(x, initial_state=[h0, c0])
    model = npkeras.Model([x, h0, c0], [out, h, c])
    rng = np.random.default_rng(0)
    assert_exports_exactly(
        model, tmp_path, lambda n: [rng.standard_normal(s, dtype="float32") for s in ((n, 5, 3), (n, 4), (n, 4))]
    )


def test_a_masked_recurrence_is_a_clear_error(tmp_path):
    model = npkeras.Sequential([npkeras.Input((6,)), layers.Embedding(10, 4, mask_zero=True), layers.LSTM(3)])
    with pytest.raises(ValueError, match='Layer "lstm" \\(LSTM\\) receives a mask'):
        export_onnx(model, tmp_path / "m.onnx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "build, shape",
    [
        (lambda: npkeras.applications.LeNet5(), (32, 32, 1)),
        (lambda: npkeras.applications.ResNet20(), (32, 32, 3)),
        (lambda: npkeras.applications.VGG16(include_top=False, input_shape=(32, 32, 3), pooling="avg"), (32, 32, 3)),
        (lambda: npkeras.applications.ResNet50(include_top=False, input_shape=(64, 64, 3), pooling="max"),
         (64, 64, 3)),
    ],
    ids=["LeNet5", "ResNet20", "VGG16", "ResNet50"],
)  # fmt: skip
def test_applications_match(build, shape, tmp_path):
    model = build()
    _randomize_batch_norm(model)
    assert_exports_exactly(model, tmp_path, _images(shape), batches=(1, 3))


KERAS_FIXTURES = Path(__file__).parents[1] / "fixtures" / "keras_saved"


@pytest.mark.parametrize("name", ["mlp", "cnn", "lstm", "zoo_seq", "zoo_img", "residual"])
def test_a_keras_tensorflow_file_exports_and_predicts_as_keras_did(name, tmp_path):
    pytest.importorskip("h5py", reason="Keras's .keras files hold HDF5 weights: pip install 'npkeras[h5]'")
    outputs = np.load(KERAS_FIXTURES / "keras_saved_outputs.npz")
    model = npkeras.models.load_model(KERAS_FIXTURES / f"{name}.keras")
    path = model.export(tmp_path / f"{name}.onnx", format="onnx")
    np.testing.assert_allclose(_run(path, [outputs[f"{name}.x"]])[0], outputs[f"{name}.y"], atol=1e-5, rtol=0)


def test_export_refuses_other_formats(tmp_path):
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match='format="onnx" only'):
        model.export(tmp_path / "m", format="tf_saved_model")


def test_the_cli_exports_a_saved_model(tmp_path, capsys):
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.save(tmp_path / "m.keras")
    assert cli.main(["export", str(tmp_path / "m.keras"), str(tmp_path / "m.onnx")]) == 0
    assert "m.onnx" in capsys.readouterr().out
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
    np.testing.assert_allclose(_run(tmp_path / "m.onnx", [x])[0], model.predict(x, verbose=0), atol=1e-6)


def test_channels_first_layers_match(tmp_path):
    model = npkeras.Sequential([
        npkeras.Input((3, 8, 7)),
        layers.Conv2D(4, 3, padding="same", data_format="channels_first", activation="relu"),
        layers.MaxPooling2D(2, data_format="channels_first"),
        layers.BatchNormalization(axis=1),
        layers.Flatten(data_format="channels_first"),
        layers.Dense(2),
    ])  # fmt: skip
    _randomize_batch_norm(model)
    assert_exports_exactly(model, tmp_path, _images((3, 8, 7)))


@pytest.mark.parametrize("merge_mode", ["concat", None])
def test_bidirectional_states_and_unmerged_outputs_match(merge_mode, tmp_path):
    x = npkeras.Input((5, 3))
    outputs = layers.Bidirectional(layers.LSTM(2, return_sequences=True, return_state=True), merge_mode=merge_mode)(x)
    model = npkeras.Model(x, list(outputs))
    assert_exports_exactly(model, tmp_path, _sequences(5))


def test_an_unbuilt_sequential_exports_with_an_input_signature(tmp_path):
    model = npkeras.Sequential([layers.Dense(2, activation="relu"), layers.Dense(1)])
    with pytest.raises(ValueError, match="is not built"):
        export_onnx(model, tmp_path / "m.onnx")
    path = model.export(tmp_path / "m.onnx", input_signature=[(None, 3)])
    x = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    np.testing.assert_allclose(_run(path, [x])[0], model.predict(x, verbose=0), atol=1e-6)
