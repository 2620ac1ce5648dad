"""TensorBoard: the event files, read back with TensorBoard's own reader, hold what Keras 3 writes, under its tags.

Every test trains the conftest's small classifier (64 samples in batches of 16: 4 batches an epoch, 16 validation
samples) for 2 epochs, then reads log_dir/train and log_dir/validation with EventAccumulator.
"""

import io
import sys
import warnings

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.callbacks import LambdaCallback, TensorBoard

pytest.importorskip("tensorboardX")
event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
from tensorboard.util import tensor_util  # noqa: E402 (after the skip)

EVERYTHING = {"scalars": 0, "histograms": 0, "distributions": 0, "images": 0, "tensors": 0, "audio": 0}  # keep all


def read(run_dir):
    accumulator = event_accumulator.EventAccumulator(str(run_dir), size_guidance=EVERYTHING)
    accumulator.Reload()
    return accumulator


def scalars(accumulator, tag):
    """[(step, value)] of one scalar tag."""
    return [(e.step, e.value) for e in accumulator.Scalars(tag)]


def steps_and_values(accumulator, tag):
    events = accumulator.Scalars(tag)
    return [e.step for e in events], np.array([e.value for e in events])


def test_epoch_scalars_equal_the_history_in_train_and_validation(small_fit, tmp_path):
    model, history, _ = small_fit([TensorBoard(tmp_path)], epochs=2)
    logs = history.history
    train, validation = read(tmp_path / "train"), read(tmp_path / "validation")
    assert sorted(train.Tags()["scalars"]) == ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    for name in ("loss", "accuracy"):
        steps, values = steps_and_values(train, f"epoch_{name}")
        assert steps == [0, 1]
        np.testing.assert_allclose(values, logs[name], rtol=1e-6)
        steps, values = steps_and_values(validation, f"epoch_{name}")
        assert steps == [0, 1]
        np.testing.assert_allclose(values, logs[f"val_{name}"], rtol=1e-6)
    assert scalars(train, "epoch_learning_rate") == [(0, pytest.approx(1e-3)), (1, pytest.approx(1e-3))]
    # each validation also writes its logs against the optimizer's iterations (4 batches an epoch)
    assert sorted(validation.Tags()["scalars"]) == [
        "epoch_accuracy",
        "epoch_loss",
        "evaluation_accuracy_vs_iterations",
        "evaluation_loss_vs_iterations",
    ]
    steps, values = steps_and_values(validation, "evaluation_loss_vs_iterations")
    assert steps == [4, 8]
    np.testing.assert_allclose(values, logs["val_loss"], rtol=1e-6)
    assert int(model.optimizer.iterations) == 8


def test_evaluate_writes_its_logs_against_the_iterations(small_fit, tmp_path):
    model, _, _ = small_fit([], epochs=2)
    x = np.random.default_rng(1).standard_normal((20, 5)).astype("float32")
    y = (x[:, 0] > 0).astype(int)
    result = model.evaluate(x, y, verbose=0, return_dict=True, callbacks=[TensorBoard(tmp_path)])
    validation = read(tmp_path / "validation")
    assert sorted(validation.Tags()["scalars"]) == [
        "evaluation_accuracy_vs_iterations",
        "evaluation_loss_vs_iterations",
    ]
    for name, value in result.items():
        assert scalars(validation, f"evaluation_{name}_vs_iterations") == [(8, pytest.approx(value, rel=1e-6))]
    train = read(tmp_path / "train")
    assert train.Tags()["tensors"] == ["keras"] and not train.Tags()["graph"]  # the config, no train-step graph


@pytest.mark.parametrize("update_freq, steps", [(1, list(range(1, 9))), ("batch", list(range(1, 9))), (3, [3, 6])])
def test_batch_level_scalars_every_update_freq_batches(small_fit, tmp_path, update_freq, steps):
    batch_logs = []
    record = LambdaCallback(on_train_batch_end=lambda batch, logs: batch_logs.append(dict(logs)))
    small_fit([record, TensorBoard(tmp_path, update_freq=update_freq)], epochs=2)
    train = read(tmp_path / "train")
    assert {"batch_loss", "batch_accuracy"} <= set(train.Tags()["scalars"])
    for name in ("loss", "accuracy"):
        written_steps, values = steps_and_values(train, f"batch_{name}")
        assert written_steps == steps  # the global batch count, from 1, across the epochs
        np.testing.assert_allclose(values, [batch_logs[s - 1][name] for s in steps], rtol=1e-6)
    assert not any(tag.startswith("batch_") for tag in read(tmp_path / "validation").Tags()["scalars"])


def test_by_default_no_batch_scalars_histograms_or_images(small_fit, tmp_path):
    small_fit([TensorBoard(tmp_path)], epochs=2)
    train = read(tmp_path / "train")
    assert not any(tag.startswith("batch_") for tag in train.Tags()["scalars"])
    assert train.Tags()["histograms"] == [] and train.Tags()["tensors"] == ["keras"]


def test_steps_per_second(small_fit, tmp_path):
    small_fit([TensorBoard(tmp_path, write_steps_per_second=True, update_freq=2)], epochs=2)
    train = read(tmp_path / "train")
    steps, values = steps_and_values(train, "epoch_steps_per_second")
    assert steps == [0, 1] and (values > 0).all()
    steps, values = steps_and_values(train, "batch_steps_per_second")
    assert steps == [2, 4, 6, 8] and (values > 0).all()


@pytest.mark.parametrize("histogram_freq, epochs", [(1, [0, 1]), (2, [0])])
def test_weight_histograms_named_as_keras_names_them(small_fit, tmp_path, histogram_freq, epochs):
    model, _, weights = small_fit([TensorBoard(tmp_path, histogram_freq=histogram_freq)], epochs=2)
    train = read(tmp_path / "train")
    # a Sequential builds its layers in its name scope: Keras 3 names them "sequential/dense/kernel"
    names = [f"{model.name}/{w.path}/histogram" for w in model.weights]
    assert sorted(train.Tags()["histograms"]) == sorted(names)
    for i, name in enumerate(names):
        events = train.Histograms(name)
        assert [e.step for e in events] == epochs
        for event in events:
            histogram, value = event.histogram_value, weights[event.step][i]  # the weights after that epoch
            assert histogram.num == value.size
            assert histogram.min == pytest.approx(value.min()) and histogram.max == pytest.approx(value.max())
            assert histogram.sum == pytest.approx(value.sum(), abs=1e-5)
            assert sum(histogram.bucket) == value.size


def test_weight_images_as_keras_lays_them_out(small_fit, tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    model, _, weights = small_fit([TensorBoard(tmp_path, histogram_freq=1, write_images=True)], epochs=2)
    train = read(tmp_path / "train")
    kernel = f"{model.name}/dense/kernel/image"
    assert f"{model.name}/dense_1/bias/image" in train.Tags()["tensors"]
    events = train.Tensors(kernel)
    assert [e.step for e in events] == [0, 1]
    assert train.SummaryMetadata(kernel).plugin_data.plugin_name == "images"
    width, height, encoded = tensor_util.make_ndarray(events[1].tensor_proto)
    value = weights[1][0]  # the (5, 8) kernel after epoch 1: wider than tall, so not transposed
    assert (int(width), int(height)) == (8, 5)
    pixels = np.asarray(image_module.open(io.BytesIO(encoded)))
    np.testing.assert_array_equal(pixels, np.clip(value.astype(np.float64) * 255.5, 0, 255).astype(np.uint8))


def test_weight_image_layouts():
    from npkeras.callbacks.tensorboard_summaries import weight_images

    assert weight_images(np.ones(7, "float32")).shape == (1, 7, 1, 1)  # a bias: one column
    assert weight_images(np.ones((9, 4), "float32")).shape == (1, 4, 9, 1)  # a tall kernel, transposed
    assert weight_images(np.ones((3, 3, 1, 6), "float32")).shape == (6, 3, 3, 1)  # one image per channel
    assert weight_images(np.ones((3, 3, 5, 3), "float32")).shape == (3, 3, 5, 3)  # RGB, as tf.summary.image reads it
    assert weight_images(np.ones((3, 3, 5, 2), "float32")) is None  # Keras writes none
    assert weight_images(np.ones(1, "float32")) is None
    values = np.array([-1.0, 0.0, 0.5, 1.0, np.nan], "float32")
    np.testing.assert_array_equal(weight_images(values).ravel(), [0, 0, 127, 255, 0])


def test_the_graph_and_the_keras_config(small_fit, tmp_path):
    model, _, _ = small_fit([TensorBoard(tmp_path)], epochs=2)
    train = read(tmp_path / "train")
    assert train.Tags()["graph"]
    nodes = [(n.name, n.op, list(n.input)) for n in train.Graph().node]
    dense, dense_1 = (layer.name for layer in model.layers)
    entry = nodes[0][0]
    assert nodes == [(entry, "InputLayer", []), (dense, "Dense", [entry]), (dense_1, "Dense", [dense])]
    shape = train.Graph().node[1].attr["_output_shapes"].list.shape[0]
    assert [d.size for d in shape.dim] == [-1, 8]
    # the config Keras writes for TensorBoard's conceptual graph
    assert train.SummaryMetadata("keras").plugin_data.plugin_name == "graph_keras_model"
    (event,) = train.Tensors("keras")
    assert event.step == 0
    assert tensor_util.make_ndarray(event.tensor_proto).item().decode() == model.to_json()


def test_write_graph_false_writes_neither(small_fit, tmp_path):
    small_fit([TensorBoard(tmp_path, write_graph=False)], epochs=2)
    train = read(tmp_path / "train")
    assert not train.Tags()["graph"] and train.Tags()["tensors"] == []


def test_the_layer_graph_of_a_functional_model_with_a_nested_sequential():
    from npkeras.callbacks.tensorboard_graph import layer_graph_def

    inputs = npkeras.Input((6,), name="features")
    a = layers.Dense(4, name="a")(inputs)
    b = layers.Dense(4, name="b")(inputs)
    inner = npkeras.Sequential([layers.Input((4,)), layers.Dense(3, name="c"), layers.Dense(2, name="d")], name="head")
    model = npkeras.Model(inputs, inner(layers.Add(name="sum")([a, b])))
    graph, traced = layer_graph_def(model)
    assert traced
    assert [(n.name, n.op, list(n.input)) for n in graph.node] == [
        ("features", "InputLayer", []),
        ("a", "Dense", ["features"]),
        ("b", "Dense", ["features"]),
        ("sum", "Add", ["a", "b"]),
        ("head/c", "Dense", ["sum"]),  # TensorBoard draws the nested model as a box that opens
        ("head/d", "Dense", ["head/c"]),
    ]


def test_weight_names_follow_keras_scopes():
    from npkeras.callbacks.tensorboard_summaries import keras_weight_names

    inputs = npkeras.Input((5,))
    inner = npkeras.Sequential([layers.Input((8,)), layers.Dense(3, name="d2")], name="inner")
    model = npkeras.Model(inputs, layers.Dense(2, name="d3")(inner(layers.Dense(8, name="d1")(inputs))))
    # as Keras 3: a functional model's layers have no scope, a Sequential's have its name
    assert [name for name, _ in keras_weight_names(model)] == [
        "d1/kernel", "d1/bias", "inner/d2/kernel", "inner/d2/bias", "d3/kernel", "d3/bias",
    ]  # fmt: skip

    class Sub(npkeras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.d = layers.Dense(3, name="d4")
            self.s = npkeras.Sequential([layers.Dense(2, name="d5")], name="sq")

        def call(self, x):
            return self.s(self.d(x))

    sub = Sub()
    sub(np.zeros((1, 4), "float32"))
    assert [name for name, _ in keras_weight_names(sub)] == ["sub/d4/kernel", "sub/d4/bias", "sub/sq/d5/kernel",
                                                             "sub/sq/d5/bias"]  # fmt: skip


def test_embeddings_for_the_projector(tmp_path):
    from google.protobuf import text_format
    from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

    rng = np.random.default_rng(0)
    tokens, labels = rng.integers(0, 12, (32, 4)), rng.integers(0, 2, 32)
    model = npkeras.Sequential([layers.Input((4,), dtype="int32"), layers.Embedding(12, 3, name="words"),
                                layers.GlobalAveragePooling1D(), layers.Dense(2, activation="softmax")])  # fmt: skip
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    (tmp_path / "words.tsv").write_text("".join(f"w{i}\n" for i in range(12)))
    saved = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: saved.append(np.array(model.layers[0].embeddings)))
    tb = TensorBoard(tmp_path / "logs", embeddings_freq=1, embeddings_metadata={"words": str(tmp_path / "words.tsv")})
    model.fit(tokens, labels, epochs=2, verbose=0, callbacks=[record, tb])
    train = tmp_path / "logs" / "train"
    config = text_format.Parse((train / "projector_config.pbtxt").read_text(), ProjectorConfig())
    assert [e.tensor_path for e in config.embeddings] == ["00000/words/tensors.tsv", "00001/words/tensors.tsv"]
    for epoch, embedding in enumerate(config.embeddings):
        np.testing.assert_allclose(np.loadtxt(train / embedding.tensor_path), saved[epoch], rtol=1e-6)
        assert (train / embedding.metadata_path).read_text().split() == [f"w{i}" for i in range(12)]
    unknown = TensorBoard(tmp_path / "x", embeddings_freq=1, embeddings_metadata={"nope": "words.tsv"})
    with pytest.raises(ValueError, match=r"names \['nope'\], which are not Embedding layers"):
        model.fit(tokens, labels, verbose=0, callbacks=[unknown])
    (tmp_path / "short.tsv").write_text("a\nb\n")
    short = TensorBoard(tmp_path / "x", embeddings_freq=1, embeddings_metadata=str(tmp_path / "short.tsv"))
    with pytest.raises(ValueError, match="has 2 rows, but Embedding layer 'words' has input_dim 12"):
        model.fit(tokens, labels, verbose=0, callbacks=[short])


def test_each_fit_writes_files_of_its_own_and_closes_them(small_fit, tmp_path):
    tb = TensorBoard(tmp_path)
    small_fit([tb], epochs=2)
    small_fit([tb], epochs=2)  # the same second, the same folder: a new event file, the first one kept
    assert len(list((tmp_path / "train").iterdir())) == 2 and len(list((tmp_path / "validation").iterdir())) == 2
    assert tb._writers == {}
    assert [step for step, _ in scalars(read(tmp_path / "train"), "epoch_loss")] == [0, 1, 0, 1]


def test_only_process_0_writes(small_fit, tmp_path, monkeypatch):
    from npkeras.backend import collective

    monkeypatch.setattr(collective, "is_chief", lambda: False)
    small_fit([TensorBoard(tmp_path / "logs", histogram_freq=1, update_freq=1)], epochs=2)
    assert not (tmp_path / "logs").exists()


def test_a_log_that_is_not_one_number_is_left_out_with_a_warning(small_fit, tmp_path):
    def add_vector(epoch, logs):
        logs["per_class"] = np.array([0.5, 0.25])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        small_fit([LambdaCallback(on_epoch_end=add_vector), TensorBoard(tmp_path)], epochs=2)
    messages = [str(w.message) for w in caught if "TensorBoard" in str(w.message)]
    assert messages == ["TensorBoard: epoch_per_class is not a single number (array([0.5 , 0.25])); it is not written"]
    assert "epoch_per_class" not in read(tmp_path / "train").Tags()["scalars"]


@pytest.mark.parametrize("profile_batch", [1, (2, 5), "3,4"])
def test_profiling_is_refused_for_want_of_a_profiler(profile_batch):
    with pytest.raises(ValueError, match="npkeras has no profiler"):
        TensorBoard(profile_batch=profile_batch)
    TensorBoard(profile_batch=0)
    TensorBoard(profile_batch="0,0")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"profile_batch": -1}, "profile_batch should be a non-negative integer"),
        ({"update_freq": 0}, 'update_freq should be "epoch", "batch" or a positive number'),
        ({"update_freq": "step"}, "update_freq should be"),
        ({"histogram_freq": -1}, "histogram_freq should be a non-negative integer"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TensorBoard(**kwargs)


def test_without_tensorboardx_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)  # `import tensorboardX` now fails
    with pytest.raises(ImportError, match=r'pip install "npkeras\[tensorboard\]"'):
        TensorBoard()
