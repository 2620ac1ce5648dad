"""Models compiled with the newer losses and metrics, in .keras files both ways: files Keras-TensorFlow saved load
here with its predictions and its evaluate() numbers (the compile config restored), npkeras's own files round-trip,
and Keras-TensorFlow restores the same losses and metrics from npkeras's files."""

import subprocess
from pathlib import Path

import numpy as np
import pytest

import npkeras as keras
from tests.conftest import keras_python

SAVED = Path(__file__).parents[1] / "fixtures" / "keras_saved"
OUTPUTS = np.load(SAVED / "compiled_losses_outputs.npz")
NAMES = ["compiled_focal", "compiled_regression", "compiled_binary"]
EXPECTED_LOSSES = {
    "compiled_focal": ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 3.0, "label_smoothing": 0.1}),
    "compiled_regression": ("LogCosh", {"reduction": "sum"}),
    "compiled_binary": ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5}),
}


def evaluate(model, name):
    return model.evaluate(OUTPUTS[f"{name}.x"], OUTPUTS[f"{name}.y"], batch_size=8, verbose=0, return_dict=True)


def check_logs(logs, expected_of):
    for log, value in logs.items():
        np.testing.assert_allclose(value, expected_of(log), rtol=1e-5, atol=1e-6, err_msg=log)


@pytest.mark.parametrize("name", NAMES)
def test_a_keras_file_loads_with_its_compiled_loss_and_metrics(name):
    model = keras.models.load_model(SAVED / f"{name}.keras")
    np.testing.assert_allclose(model.predict(OUTPUTS[f"{name}.x"], verbose=0), OUTPUTS[f"{name}.pred"], atol=1e-6)
    loss = model._compile_loss.losses[0]
    class_name, config = EXPECTED_LOSSES[name]
    assert type(loss).__name__ == class_name
    assert {k: loss.get_config()[k] for k in config} == config
    logs = evaluate(model, name)
    assert sorted(logs) == list(OUTPUTS[f"{name}.logs"])
    check_logs(logs, lambda log: OUTPUTS[f"{name}.eval.{log}"])


@pytest.mark.parametrize("name", NAMES)
def test_npkeras_files_keep_the_compile_config(name, tmp_path):
    model = keras.models.load_model(SAVED / f"{name}.keras")
    model.fit(OUTPUTS[f"{name}.x"], OUTPUTS[f"{name}.y"], batch_size=10, epochs=1, verbose=0)
    model.save(tmp_path / "again.keras")
    again = keras.models.load_model(tmp_path / "again.keras")
    assert again.get_compile_config()["loss"] == model.get_compile_config()["loss"]
    assert again.get_compile_config()["metrics"] == model.get_compile_config()["metrics"]
    logs = evaluate(model, name)
    check_logs(evaluate(again, name), lambda log: logs[log])


def test_metric_objects_are_saved_with_their_arguments(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(
        loss=keras.losses.Tversky(alpha=0.2, beta=0.8),
        metrics=[keras.metrics.MeanIoU(num_classes=3, sparse_y_pred=False, name="miou"), "kl_divergence"],
    )
    model.save(tmp_path / "m.keras")
    config = keras.models.load_model(tmp_path / "m.keras").get_compile_config()
    assert config["loss"]["class_name"] == "Tversky" and config["loss"]["config"]["alpha"] == 0.2
    miou, kld = config["metrics"]
    assert miou["class_name"] == "MeanIoU" and miou["config"]["num_classes"] == 3
    assert miou["config"]["sparse_y_pred"] is False and miou["config"]["name"] == "miou"
    assert kld == "kl_divergence"


def test_keras_restores_the_losses_and_metrics_of_npkeras_files(tmp_path):
    python = keras_python()
    if python is None:
        pytest.skip("Keras-TensorFlow is not installed here; set NPKERAS_KERAS_PYTHON to a Python that has it")
    arrays, expected = {}, {}
    for name in NAMES:
        model = keras.models.load_model(SAVED / f"{name}.keras")
        model.fit(OUTPUTS[f"{name}.x"], OUTPUTS[f"{name}.y"], batch_size=10, epochs=1, verbose=0)
        path = str(tmp_path / f"{name}.keras")
        model.save(path)
        arrays[f"{path}.x"], arrays[f"{path}.y"] = OUTPUTS[f"{name}.x"], OUTPUTS[f"{name}.y"]
        expected[path] = (name, model.predict(OUTPUTS[f"{name}.x"], verbose=0), evaluate(model, name))
    np.savez(tmp_path / "in.npz", **arrays)
    script = Path(__file__).parent / "keras_evaluates_npkeras.py"
    done = subprocess.run([python, str(script), str(tmp_path / "in.npz"), str(tmp_path / "out.npz")],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = np.load(tmp_path / "out.npz")
    for path, (name, pred, logs) in expected.items():
        assert str(seen[f"{path}.loss_class"]) == EXPECTED_LOSSES[name][0]
        np.testing.assert_allclose(seen[f"{path}.pred"], pred, atol=1e-6)
        assert sorted(logs) == sorted(k.split(".eval.")[1] for k in seen.files if k.startswith(f"{path}.eval."))
        check_logs(logs, lambda log, path=path: seen[f"{path}.eval.{log}"])


def test_a_several_output_model_keeps_its_metric_objects(tmp_path):
    inputs = keras.Input((4,))
    outputs = [keras.layers.Dense(3, activation="softmax", name="a")(inputs), keras.layers.Dense(2, name="b")(inputs)]
    model = keras.Model(inputs, outputs)
    metrics = {"a": [keras.metrics.OneHotMeanIoU(num_classes=3)], "b": [keras.metrics.R2Score(), "mape"]}
    model.compile(loss=["categorical_focal_crossentropy", keras.losses.LogCosh()], metrics=metrics)
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    y = [np.eye(3, dtype="float32")[np.arange(16) % 3], x[:, :2] * 2.0]
    model.save(tmp_path / "two.keras")
    again = keras.models.load_model(tmp_path / "two.keras")
    assert again.get_compile_config()["metrics"] == model.get_compile_config()["metrics"]
    logs, restored = (m.evaluate(x, y, batch_size=4, verbose=0, return_dict=True) for m in (model, again))
    assert set(logs) == {"loss", "a_loss", "b_loss", "a_one_hot_mean_io_u", "b_r2_score", "b_mape"}
    check_logs(restored, lambda log: logs[log])
