"""The notes' quick code blocks in examples/ run and print what they claim."""

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name, capsys):
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


def test_gradient_descent_autograd_matches_hand_loop(capsys):
    out = run_example("gradient_descent.py", capsys)
    hand = [line for line in out.splitlines() if line.startswith("NumPy by hand")][0]
    auto = [line for line in out.splitlines() if line.startswith("npkeras autograd")][0]
    w_hand, w_auto = float(hand.split("W = ")[1].split(",")[0]), float(auto.split("W = ")[1].split(",")[0])
    assert w_hand == pytest.approx(2.0, abs=0.02)
    assert w_auto == pytest.approx(w_hand, abs=1e-4)


def test_broadcasting_example_prints_every_case(capsys):
    out = run_example("broadcasting.py", capsys)
    assert "(5, 1, 4, 1) op (1, 3, 1, 2) -> (5, 3, 4, 2); grad a (5, 1, 4, 1), grad b (1, 3, 1, 2)" in out
    assert "[[ 5  6  7  8]\n [ 6  7  8  9]\n [ 7  8  9 10]]" in out


def test_vectorization_example_layer_matches_numpy(capsys):
    out = run_example("vectorization.py", capsys)
    assert "npkeras Dense output equals the notes' A: True" in out
    assert "dW shape (784, 10) db shape (10,)" in out
