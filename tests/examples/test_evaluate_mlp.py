"""examples/evaluate_mlp.py: the notes' MLP with precision/recall/F1 metrics, its report and its two plots."""

import re
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "evaluate_mlp.py"


def test_report_and_plots_for_the_notes_mlp(fmnist_dir, monkeypatch, capsys, tmp_path):
    pytest.importorskip("matplotlib")
    image = pytest.importorskip("matplotlib.image")
    monkeypatch.setenv("NPKERAS_DATA", str(fmnist_dir))
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "2", "6000", str(tmp_path)])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    for name in ("T-shirt/top", "Ankle boot", "macro avg", "weighted avg"):
        assert name in out
    accuracy = re.search(r"^\s+accuracy\s+(\d\.\d{4})\s+10000$", out, re.M)
    assert accuracy and float(accuracy.group(1)) > 0.75, out
    for epoch_line in [line for line in out.splitlines() if " - val_f1_score: " in line]:
        assert " - precision: " in epoch_line and " - recall: " in epoch_line
    for png in ("mlp_history.png", "mlp_confusion_matrix.png"):
        path = tmp_path / png
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        height, width = image.imread(path).shape[:2]
        assert height > 200 and width > 200
