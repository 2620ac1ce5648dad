"""The README's code that claims to run does: its "Customizing what happens in fit" and "Deploying" examples."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def section_code(heading):
    text = README.read_text()
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.S)


def test_the_customizing_fit_example_trains(capsys):
    (code,) = section_code("Customizing what happens in fit")
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    history = namespace["history"].history
    assert set(history) == {"loss", "mae"} and len(history["mae"]) == 3
    assert history["loss"][-1] < history["loss"][0]
    assert "[" in capsys.readouterr().out


def test_the_deploying_example_runs_in_onnx_runtime(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    (code,) = section_code("Deploying")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "model.onnx").is_file()
