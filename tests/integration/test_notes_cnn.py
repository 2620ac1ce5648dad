"""Acceptance: the notes' §1.2 CNN block (examples/cnn.py), 10 epochs at batch 32, on the real Fashion-MNIST."""

import pytest

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
def test_notes_cnn_reaches_tensorflow_accuracy(fmnist_dir, monkeypatch, run_example):
    monkeypatch.setenv("NPKERAS_DATA", str(fmnist_dir))
    out, test_acc = run_example("cnn.py", "10")
    assert "Total params: 93,322" in out
    table = out[out.index("Output Shape") : out.index("Total params")]
    positions = [table.index(shape) for shape in KERAS_OUTPUT_SHAPES]
    assert positions == sorted(positions), "summary() shows the layers' output shapes in Keras's order"
    assert test_acc >= 0.895, f"test accuracy {test_acc:.4f} below TensorFlow's 0.902 - 0.007"
