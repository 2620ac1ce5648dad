"""Exact resume: 2 epochs, save, load in a new process, 2 more epochs == 4 epochs straight, bit for bit."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import npkeras

SCRIPT = Path(__file__).with_name("resume_script.py")
REPO = Path(__file__).parents[2]


def run(*args):
    """The script in a new Python process, importing this checkout's npkeras."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("weights_format", ["npz", "h5"])
def test_training_resumes_bit_for_bit_in_a_new_process(tmp_path, weights_format):
    if weights_format == "h5":
        pytest.importorskip("h5py")
    straight, resumed = tmp_path / "straight.keras", tmp_path / "resumed.keras"
    run("fresh", 4, straight, weights_format)
    run("fresh", 2, resumed, weights_format)
    run("resume", 2, resumed, weights_format)
    a, b = npkeras.models.load_model(straight), npkeras.models.load_model(resumed)
    assert int(a.optimizer.iterations.data) == int(b.optimizer.iterations.data) == 24
    for wa, wb in zip(a.get_weights() + [v.data for v in a.optimizer.variables],
                      b.get_weights() + [v.data for v in b.optimizer.variables]):  # fmt: skip
        np.testing.assert_array_equal(wa, wb)
    assert saved_random_state(straight) == saved_random_state(resumed)  # so later epochs agree too


def saved_random_state(path):
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("metadata.json"))["npkeras"]
