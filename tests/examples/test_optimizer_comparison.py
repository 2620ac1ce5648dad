"""examples/optimizer_comparison.py: four optimizers, one seed; momentum and the adaptive ones beat plain SGD."""

import re
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "optimizer_comparison.py"


def test_compares_four_optimizers_and_plots_them(fmnist_dir, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NPKERAS_DATA", str(fmnist_dir))
    png = tmp_path / "curves.png"
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "2", "2000", str(png)])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    final = {
        name.strip(): float(losses.split()[-1])
        for name, losses in re.findall(r"^(.{15}) loss per epoch: ([\d. ]+?)\s+test accuracy", out, re.M)
    }
    assert set(final) == {"SGD", "SGD + momentum", "RMSprop", "Adam"}
    assert final["SGD + momentum"] < final["SGD"] and final["Adam"] < final["SGD"]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "No plot: matplotlib is not installed" in out
        pytest.skip("matplotlib is not installed: the plot half of the example was not run")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
