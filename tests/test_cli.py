"""The `npkeras train mlp` command on a tiny generated Fashion-MNIST."""

import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import npkeras
from npkeras import cli
from npkeras.datasets import files
from npkeras.datasets.idx import write_idx


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("NPKERAS_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(files, "SYSTEM_ROOT", tmp_path / "system")
    rng = np.random.default_rng(0)
    folder = tmp_path / "fm"
    folder.mkdir()
    # two easy classes: class 1 images are bright, class 0 images dark
    y_train = rng.integers(0, 2, 96).astype(np.uint8)
    y_test = rng.integers(0, 2, 40).astype(np.uint8)

    def images(labels):
        base = np.where(labels[:, None, None] == 1, 200, 30)
        return np.clip(base + rng.integers(-20, 20, (len(labels), 28, 28)), 0, 255).astype(np.uint8)

    write_idx(folder / "train-images-idx3-ubyte.gz", images(y_train))
    write_idx(folder / "train-labels-idx1-ubyte.gz", y_train)
    write_idx(folder / "t10k-images-idx3-ubyte.gz", images(y_test))
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", y_test)
    return folder


def test_train_prints_summary_and_test_accuracy(data_dir, capsys):
    rc = cli.main(["train", "mlp", "--epochs", "1", "--ntrain", "64", "--data", str(data_dir), "--verbose", "0"])
    out = capsys.readouterr().out
    assert rc == 0
    assert 'Model: "sequential"' in out
    assert " Total params: 101,770 (397.54 KB)" in out
    match = re.search(r"Test loss: (\d+\.\d{4})\nTest accuracy: (\d\.\d{4})\n$", out)
    assert match, out
    assert 0.0 <= float(match.group(2)) <= 1.0
    # the final evaluate runs at verbose=2: one line for the 40 test images in 2 batches
    assert re.search(r"^2/2 - \d+s - \d+(?:s|ms|us)/step - accuracy: \d\.\d{4} - loss: \d+\.\d{4}$", out, re.M), out


def test_ntrain_limits_the_training_set(data_dir, capsys):
    rc = cli.main(
        [
            "train",
            "mlp",
            "--epochs",
            "1",
            "--ntrain",
            "64",
            "--batch-size",
            "16",
            "--data",
            str(data_dir),
            "--verbose",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "4/4 ━" in out  # 64 images in batches of 16
    assert "/6 ━" not in out  # not all 96


def test_epochs_flag(data_dir, capsys):
    rc = cli.main(["train", "mlp", "--epochs", "2", "--ntrain", "32", "--data", str(data_dir), "--verbose", "1"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "Test accuracy: " in out


def test_same_seed_same_result(data_dir, capsys):
    args = ["train", "mlp", "--epochs", "1", "--ntrain", "64", "--data", str(data_dir), "--verbose", "0", "--seed", "3"]
    cli.main(args)
    first = capsys.readouterr().out.splitlines()[-2:]
    cli.main(args)
    assert capsys.readouterr().out.splitlines()[-2:] == first


def test_missing_data_exits_with_1_and_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NPKERAS_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(files, "SYSTEM_ROOT", tmp_path / "system")
    rc = cli.main(["train", "mlp", "--epochs", "1", "--data", str(tmp_path / "nothing")])
    captured = capsys.readouterr()
    assert rc == 1
    assert captured.err.startswith("npkeras: ")
    assert "apt-get install dataset-fashion-mnist" in captured.err


def test_bad_arguments_exit_with_usage(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "resnet9000"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main([])


@pytest.mark.parametrize(
    "flag, value, message",
    [
        ("--epochs", "-1", "argument --epochs: must be at least 1, got -1"),
        ("--epochs", "0", "argument --epochs: must be at least 1, got 0"),
        ("--ntrain", "-5", "argument --ntrain: must be at least 0, got -5"),
        ("--batch-size", "0", "argument --batch-size: must be at least 1, got 0"),
        ("--seed", "-1", "argument --seed: must be at least 0, got -1"),
        ("--seed", "1.5", "argument --seed: expected an integer, got '1.5'"),
    ],
)
def test_out_of_range_numbers_exit_with_usage_before_training(data_dir, capsys, flag, value, message):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "mlp", "--epochs", "1", "--ntrain", "16", "--data", str(data_dir), "--verbose", "0",
                  flag, value])  # fmt: skip
    captured = capsys.readouterr()
    assert info.value.code == 2 and captured.out == ""
    assert captured.err.startswith("usage: npkeras train") and message in captured.err


def test_a_save_path_that_cannot_be_written_exits_with_usage_before_training(data_dir, tmp_path, capsys):
    (tmp_path / "full.keras").symlink_to("/dev/full")
    for path, message in [
        (tmp_path / "no" / "dir" / "m.keras", f"Cannot save to {tmp_path}/no/dir/m.keras: the folder "),
        (tmp_path / "m.h5", f"Cannot save to {tmp_path}/m.h5: npkeras saves whole models as Keras 3 `.keras`"),
        (tmp_path / "full.keras", f"Cannot save to {tmp_path}/full.keras (a link to /dev/full): it is not a regular"),
    ]:
        with pytest.raises(SystemExit) as info:
            cli.main(["train", "mlp", "--epochs", "1", "--ntrain", "16", "--data", str(data_dir), "--verbose", "0",
                      "--save", str(path)])  # fmt: skip
        captured = capsys.readouterr()
        assert info.value.code == 2 and captured.out == ""  # nothing trained
        assert "argument --save: " + message in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fm", "full.keras"]


def test_a_data_folder_given_and_missing_is_an_error_not_a_fallback(data_dir, tmp_path, capsys):
    (tmp_path / "system").mkdir()
    shutil.copytree(data_dir, tmp_path / "system" / "fashion-mnist")  # a copy where the search would look
    missing = tmp_path / "no" / "such" / "dir"
    rc = cli.main(["train", "mlp", "--epochs", "1", "--ntrain", "16", "--data", str(missing), "--verbose", "0"])
    captured = capsys.readouterr()
    assert rc == 1 and captured.out == ""
    assert f"in {missing} (the path given, so no other place was searched)" in captured.err
    assert "train-images-idx3-ubyte" in captured.err


def test_train_lstm_reads_reuters_and_trains_the_notes_lstm(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("REUTERS_DIR", raising=False)
    rng = np.random.default_rng(0)
    words = ["grain", "wheat", "corn", "oil", "crude", "barrel", "stock", "share", "profit", "trade"]
    topics = ["grain", "crude", "earn", "acq", "trade", "ship", "sugar", "coffee", "money-fx", "interest", "cocoa"]
    docs = [
        {"id": str(i), "title": "", "body": " ".join(rng.choice(words, 12)), "topics": [topics[i % len(topics)]]}
        for i in range(60)
    ]
    folder = tmp_path / "reuters"
    folder.mkdir()
    (folder / "reuters-000.json").write_text(json.dumps(docs), encoding="utf-8")
    rc = cli.main(["train", "lstm", "--epochs", "1", "--data", str(folder), "--verbose", "0"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "│ embedding (Embedding)           │ (None, 200, 64)        │       640,000 │" in out
    assert "│ lstm (LSTM)                     │ (None, 128)            │        98,816 │" in out
    assert " Total params: 740,106 (2.82 MB)" in out
    assert re.search(r"Test accuracy: \d\.\d{4}\n$", out), out


def test_save_writes_a_model_that_loads_and_evaluates_the_same(data_dir, tmp_path, capsys):
    path = tmp_path / "mlp.keras"
    rc = cli.main(["train", "mlp", "--epochs", "1", "--ntrain", "64", "--data", str(data_dir), "--verbose", "0",
                   "--save", str(path)])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0 and f"Saved the trained model to {path}" in out
    accuracy = float(re.search(r"Test accuracy: (\d\.\d{4})", out).group(1))
    model = npkeras.models.load_model(path)
    (_, _), (x_test, y_test) = cli.fashion_mnist_data((28, 28), data_dir)
    assert round(model.evaluate(x_test, y_test, verbose=0)[1], 4) == accuracy


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def report_rows(out):
    """{class name: (precision, recall, f1, support)} from the printed classification report."""
    rows = {}
    for line in out.splitlines():
        parts = line.rsplit(None, 4)
        if len(parts) == 5 and parts[-1].isdigit() and all(re.fullmatch(r"\d\.\d+", v) for v in parts[1:4]):
            rows[parts[0].strip()] = tuple(float(v) for v in parts[1:4]) + (int(parts[4]),)
    return rows


def test_evaluate_trains_then_prints_the_report_and_writes_the_confusion_matrix(data_dir, tmp_path, capsys):
    png = tmp_path / "cm.png"
    rc = cli.main(["evaluate", "mlp", "--epochs", "2", "--ntrain", "96", "--data", str(data_dir), "--verbose", "0",
                   "--confusion-matrix", str(png)])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0 and f"Wrote the confusion matrix to {png}" in out
    rows = report_rows(out)
    # the tiny set has only classes 0 and 1; the report still lists all ten Fashion-MNIST classes
    assert rows["T-shirt/top"][3] + rows["Trouser"][3] == 40 and rows["Ankle boot"] == (0.0, 0.0, 0.0, 0)
    assert rows["macro avg"][3] == rows["weighted avg"][3] == 40
    accuracy = float(re.search(r"Test accuracy: (\d\.\d{4})", out).group(1))
    assert re.search(rf"accuracy\s+{accuracy:.4f}\s+40", out), out
    assert png.read_bytes()[:8] == PNG_SIGNATURE


def test_evaluate_reads_a_saved_model(data_dir, tmp_path, capsys):
    path, png = tmp_path / "mlp.keras", tmp_path / "cm.png"
    cli.main(["train", "mlp", "--epochs", "1", "--ntrain", "64", "--data", str(data_dir), "--verbose", "0",
              "--save", str(path)])  # fmt: skip
    trained = float(re.search(r"Test accuracy: (\d\.\d{4})", capsys.readouterr().out).group(1))
    rc = cli.main(
        ["evaluate", str(path), "--data", str(data_dir), "--confusion-matrix", str(png), "--normalize", "true"]
    )
    out = capsys.readouterr().out
    assert rc == 0 and png.read_bytes()[:8] == PNG_SIGNATURE
    assert re.search(rf"accuracy\s+{trained:.4f}\s+40", out), out


def test_evaluate_refuses_what_it_cannot_read(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["evaluate", "resnet9000"])
    assert info.value.code == 2 and "or a saved PATH.keras" in capsys.readouterr().err
    (tmp_path / "junk.keras").write_bytes(b"not a zip")
    assert cli.main(["evaluate", str(tmp_path / "junk.keras")]) == 1
    assert "npkeras:" in capsys.readouterr().err


def test_train_on_two_processes_reports_them_and_matches_one_process(data_dir, capsys, mpiexec):
    args = ["train", "mlp", "--epochs", "1", "--ntrain", "64", "--data", str(data_dir), "--verbose", "0"]
    assert cli.main(args) == 0
    alone = capsys.readouterr().out
    assert "Training on 1 process, batch size 32" in alone
    code = "import sys; from npkeras.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([mpiexec, "-n", "2", sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Training on 2 processes, global batch 32 (16 samples per process)") == 1  # process 0
    assert done.stdout.split("Test loss:")[1] == alone.split("Test loss:")[1]


def test_train_plots_writes_the_training_curves_and_the_confusion_matrix(data_dir, tmp_path, capsys, monkeypatch):
    image = pytest.importorskip("matplotlib.image")
    drawn = {}
    plot_history = npkeras.evaluation.plot_history

    def recording_plot_history(history, **kwargs):
        drawn["history"], drawn["figure"] = dict(history.history), plot_history(history, **kwargs)
        return drawn["figure"]

    monkeypatch.setattr(npkeras.evaluation, "plot_history", recording_plot_history)
    folder = tmp_path / "plots" / "mlp"  # made by the command
    args = ["train", "mlp", "--epochs", "2", "--ntrain", "64", "--data", str(data_dir), "--verbose", "0"]
    rc = cli.main([*args, "--plots", str(folder)])
    out = capsys.readouterr().out
    assert rc == 0
    curves, matrix = folder / "training_curves.png", folder / "confusion_matrix.png"
    assert out.endswith(f"Wrote the training curves to {curves}\nWrote the confusion matrix to {matrix}\n")
    assert sorted(p.name for p in folder.iterdir()) == ["confusion_matrix.png", "training_curves.png"]
    for path in (curves, matrix):
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        pixels = image.imread(path)
        assert pixels.ndim == 3 and pixels.shape[0] > 200 and pixels.shape[1] > 300
    # the curves are History's: train and validation (the test set) loss and accuracy by epoch
    history = drawn["history"]
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"] and len(history["loss"]) == 2
    for ax, name in zip(drawn["figure"].axes, ["loss", "accuracy"], strict=True):
        train, validation = ax.get_lines()
        np.testing.assert_array_equal(train.get_xdata(), [1, 2])
        np.testing.assert_allclose(train.get_ydata(), history[name])
        np.testing.assert_allclose(validation.get_ydata(), history[f"val_{name}"])
    printed = re.search(r"Test loss: (\d+\.\d{4})\nTest accuracy: (\d\.\d{4})", out)
    assert f"{history['val_loss'][-1]:.4f}" == printed.group(1)
    # validating on the test set leaves the training as it was
    assert cli.main(args) == 0
    assert re.search(r"Test loss: .*\nTest accuracy: .*", capsys.readouterr().out).group(0) == printed.group(0)


def test_train_plots_without_matplotlib_says_how_to_install_it_before_training(data_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)  # its import now fails
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "mlp", "--epochs", "1", "--data", str(data_dir), "--plots", str(tmp_path / "plots")])
    captured = capsys.readouterr()
    assert info.value.code == 2 and captured.out == ""
    assert (
        "argument --plots: Plotting needs matplotlib" in captured.err and 'pip install "npkeras[plots]"' in captured.err
    )
