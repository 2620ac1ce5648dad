"""examples/cross_validation.py: 5-fold stratified cross-validation of the notes' MLP on 10,000 images, one call."""

import runpy
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cross_validation.py"


@pytest.mark.slow
def test_five_fold_cross_validation_of_the_notes_mlp(fmnist_dir, monkeypatch, capsys):
    """The acceptance run: 10,000 Fashion-MNIST images, 5 stratified folds, the notes' MLP, one call."""
    monkeypatch.setenv("NPKERAS_DATA", str(fmnist_dir))
    monkeypatch.setattr(sys, "argv", ["cross_validation.py", "5", "10000"])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert out.count("(8000 train, 2000 held out)") == 5
    per_fold = [float(a) for a in out.split("Per-fold accuracy:")[1].splitlines()[0].split(",")]
    mean, std = (float(v) for v in out.split("Cross-validated accuracy:")[1].split("±"))
    assert mean == pytest.approx(np.mean(per_fold), abs=1e-4) and std == pytest.approx(np.std(per_fold), abs=1e-4)
    assert mean > 0.83 and std < 0.02, out
