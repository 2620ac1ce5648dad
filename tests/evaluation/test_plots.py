"""plot_history and plot_confusion_matrix: the Figures' axes, labels and legends, and the PNG files they write."""

import sys

import numpy as np
import pytest

from npkeras.callbacks import History
from npkeras.evaluation.plots import plot_confusion_matrix, plot_history

matplotlib = pytest.importorskip("matplotlib")
pytest.importorskip("matplotlib.figure")
pytest.importorskip("matplotlib.image")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

LOGS = {
    "loss": [1.0, 0.6, 0.4, 0.3],
    "accuracy": [0.5, 0.7, 0.8, 0.85],
    "val_loss": [1.1, 0.7, 0.5, 0.45],
    "val_accuracy": [0.45, 0.65, 0.75, 0.8],
}


def assert_png(path):
    """The file is a PNG that decodes to a non-empty image, and no temporary file was left beside it."""
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 50 and image.shape[1] > 50
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_history_draws_one_subplot_per_metric_and_saves_a_png(tmp_path):
    history = History()
    history.history = dict(LOGS)
    path = tmp_path / "history.png"
    figure = plot_history(history, path=path, title="MLP")
    assert isinstance(figure, matplotlib.figure.Figure)
    assert [ax.get_ylabel() for ax in figure.axes] == ["loss", "accuracy"]
    for ax, name in zip(figure.axes, ["loss", "accuracy"]):
        assert ax.get_xlabel() == "Epoch"
        assert ax.get_title() == f"Training and validation {name}"
        assert legend_texts(ax) == ["train", "validation"]
        train, val = ax.get_lines()
        np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_allclose(train.get_ydata(), LOGS[name])
        np.testing.assert_allclose(val.get_ydata(), LOGS[f"val_{name}"])
    assert figure._suptitle.get_text() == "MLP"
    assert_png(path)


def test_plot_history_takes_the_dict_metric_choice_and_sparse_validation():
    logs = {"accuracy": [0.5, 0.6, 0.7, 0.8], "loss": [4, 3, 2, 1], "val_loss": [3.5, 1.5], "lr": [0.1] * 4}
    figure = plot_history(logs)
    assert [ax.get_ylabel() for ax in figure.axes] == ["loss", "accuracy", "lr"]  # loss first
    assert legend_texts(figure.axes[2]) == ["train"]
    # validation_freq=2 logs the validation loss after epochs 2 and 4
    np.testing.assert_array_equal(figure.axes[0].get_lines()[1].get_xdata(), [2, 4])
    figure = plot_history(logs, metrics="accuracy")
    assert len(figure.axes) == 1 and figure.axes[0].get_ylabel() == "accuracy"


def test_plot_history_refuses_unknown_metrics_and_empty_histories():
    with pytest.raises(ValueError, match=r"no history for \['f1'\].*\['loss', 'val_loss'\]"):
        plot_history({"loss": [1.0], "val_loss": [1.0]}, metrics=["loss", "f1"])
    with pytest.raises(ValueError, match="non-empty"):
        plot_history(History())


def test_plot_confusion_matrix_from_labels_names_every_class(tmp_path):
    path = tmp_path / "cm.png"
    names = ["T-shirt", "Trouser", "Pullover", "Dress"]  # class 3 never occurs but keeps its row and column
    figure = plot_confusion_matrix([0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1], class_names=names, path=path)
    heat, colorbar = figure.axes  # the heat map and its colorbar
    assert heat.get_xlabel() == "Predicted label" and heat.get_ylabel() == "True label"
    assert [t.get_text() for t in heat.get_xticklabels()] == names
    assert [t.get_text() for t in heat.get_yticklabels()] == names
    cells = [t.get_text() for t in heat.texts]
    assert cells == ["1", "1", "0", "0", "0", "1", "1", "0", "0", "0", "2", "0", "0", "0", "0", "0"]
    np.testing.assert_array_equal(heat.get_images()[0].get_array(), [[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 2, 0], [0] * 4])
    assert colorbar.get_label() == "<colorbar>"
    assert_png(path)


def test_plot_confusion_matrix_from_a_matrix_normalized():
    figure = plot_confusion_matrix(np.array([[3, 1], [0, 0]]), class_names=["no", "yes"], normalize="true")
    heat = figure.axes[0]
    assert [t.get_text() for t in heat.texts] == ["0.75", "0.25", "0.00", "0.00"]
    assert "normalized over true" in heat.get_title()
    figure = plot_confusion_matrix(["b", "a", "b"], ["b", "b", "b"])
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["a", "b"]


def test_plot_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match=r"square matrix.*\(2, 3\)"):
        plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"3 class names .* for a 2x2 confusion matrix"):
        plot_confusion_matrix(np.eye(2), class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"labels run from 0 to 5, but class_names names 2 classes"):
        plot_confusion_matrix([0, 5], [0, 1], class_names=["a", "b"])
    with pytest.raises(ValueError, match=r"y_pred must be class labels.*argmax"):
        plot_confusion_matrix([0, 1], np.array([[0.2, 0.8], [0.6, 0.4]]))


def test_saving_replaces_a_file_atomically_and_checks_the_folder(tmp_path):
    path = tmp_path / "cm.png"
    path.write_bytes(b"old")
    plot_confusion_matrix(np.eye(2, dtype=int), path=path)
    assert_png(path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        plot_history(LOGS, path=tmp_path / "missing" / "h.png")
    with pytest.raises(ValueError, match="use a .png path"):
        plot_history(LOGS, path=tmp_path / "h.unknownformat")
    assert [p.name for p in tmp_path.iterdir()] == ["cm.png"]


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "history.png"
    path.write_bytes(b"previous")

    def broken_savefig(self, *args, **kwargs):
        args[0].write(b"half a PNG")
        raise OSError("disk full")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken_savefig)
    with pytest.raises(OSError, match="disk full"):
        plot_history(LOGS, path=path)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["history.png"]


def test_the_users_backend_and_pyplot_are_left_alone():
    backend = matplotlib.rcParams["backend"]
    had_pyplot = "matplotlib.pyplot" in sys.modules
    plot_history(LOGS)
    assert matplotlib.rcParams["backend"] == backend
    assert ("matplotlib.pyplot" in sys.modules) == had_pyplot


def test_missing_matplotlib_names_the_extra(monkeypatch):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "npkeras\[plots\]"'):
        plot_history(LOGS)
    with pytest.raises(ImportError, match=r"npkeras\[plots\]"):
        plot_confusion_matrix([0, 1], [0, 1])
