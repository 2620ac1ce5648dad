"""Acceptance: the notes' §1.2 CNN block (examples/cnn.py), 10 epochs at batch 32, on the real Fashion-MNIST."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cnn.py"
KERAS_OUTPUT_SHAPES = [
    "(None, 26, 26, 32)",
    "(None, 13, 13, 32)",
    "(None, 11, 11, 64)",
    "(None, 5, 5, 64)",
    "(None, 3, 3, 64)",
    "(None, 576)",
    "(None, 64)",
    "(None, 10)",
]


@pytest.mark.slow
def test_notes_cnn_reaches_tensorflow_accuracy(fmnist_dir, monkeypatch, capsys):
    monkeypatch.setenv("NPKERAS_DATA", str(fmnist_dir))
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "10"])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "Total params: 93,322" in out
    table = out[out.index("Output Shape") : out.index("Total params")]
    positions = [table.index(shape) for shape in KERAS_OUTPUT_SHAPES]
    assert positions == sorted(positions), "summary() shows the layers' output shapes in Keras's order"
    test_acc = float(out.rsplit("Test accuracy:", 1)[1].split()[0])
    assert test_acc >= 0.895, f"test accuracy {test_acc:.4f} below TensorFlow's 0.902 - 0.007"
