"""examples/classic_models.py: LeNet-5 and ResNet-20 train on Fashion-MNIST padded to 32x32 and save a model."""

import re
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest

import npkeras

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "classic_models.py"


@pytest.mark.parametrize("name, ntrain, floor", [("lenet5", 3000, 0.6), ("resnet20", 300, 0.1)])
def test_trains_reports_and_saves(name, ntrain, floor, fmnist_dir, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NPKERAS_DATA", str(fmnist_dir))
    path = tmp_path / f"{name}.keras"
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), name, "1", str(ntrain), str(path), "500"])
    script = runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert re.search(rf"{name}: 1 epochs on {ntrain - ntrain // 10} images in \d+ s", out), out
    accuracy = float(re.search(r"Test accuracy: (\d\.\d{4})", out).group(1))
    assert accuracy > floor
    loaded = npkeras.models.load_model(path)
    x = script["x_test"][:50]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), script["model"].predict(x, verbose=0))
