"""Acceptance: the notes' §1.3 LSTM block (examples/lstm.py) on Reuters-21578 top-10, 10 epochs at batch 32."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "lstm.py"
TENSORFLOW_TEST_ACCURACY = 0.845  # tf_reuters_lstm.py 10 32 on this split (../shared/anchors)


@pytest.mark.slow
def test_notes_lstm_reaches_tensorflow_accuracy(reuters_dir, monkeypatch, capsys):
    monkeypatch.setenv("REUTERS_DIR", str(reuters_dir))
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "10"])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "6936 training and 1734 test newswires" in out
    assert "Total params: 740,106" in out
    test_acc = float(out.rsplit("Test accuracy:", 1)[1].split()[0])
    assert test_acc >= TENSORFLOW_TEST_ACCURACY - 0.01, f"test accuracy {test_acc:.4f} more than 1 point below TF's"
