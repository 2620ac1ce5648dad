"""Running the notes' example scripts as acceptance tests."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def run_example(monkeypatch, capsys):
    """Run examples/NAME with the given arguments; return (what it printed, its test accuracy)."""

    def run(name, *argv):
        path = EXAMPLES / name
        monkeypatch.setattr(sys, "argv", [str(path), *argv])
        runpy.run_path(str(path), run_name="__main__")
        out = capsys.readouterr().out
        return out, float(out.rsplit("Test accuracy:", 1)[1].split()[0])

    return run
