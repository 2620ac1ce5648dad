"""npkeras.ops matches Keras-TensorFlow's keras.ops: values, dtypes' kinds and gradients, case by case.

The fixture is made by tests/fixtures/make_ops_reference.py from the case table in
tests/fixtures/ops_reference_cases.py (float64 inputs; gradients of sum(y * gy) for a random gy).
"""

import re
from pathlib import Path

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, engine
from tests.fixtures.ops_reference_cases import CASES

# Keras-TensorFlow's logaddexp2 scales by a float32 log(2), and its windows are computed in float32: they are
# that far off NumPy's values, which npkeras matches
LOOSER = {"logaddexp2": (1e-7, 1e-8), "hamming": (1e-6, 1e-6), "kaiser": (1e-6, 1e-6)}  # (rtol, atol)

REFERENCE = np.load(Path(__file__).parents[1] / "fixtures" / "ops_reference.npz", allow_pickle=False)


def _tolerance(name, rtol, atol):
    rtol, atol = LOOSER.get(name, (rtol, atol))
    return {"rtol": rtol, "atol": atol}


def _inputs(name, count):
    return [REFERENCE[f"{name}_x{i}"] for i in range(count)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_keras_tensorflow(name, float64):  # the fixture was made with floatx float64
    fn, specs, differentiable = CASES[name]
    xs = [Tensor(x, requires_grad=x.dtype.kind == "f") for x in _inputs(name, len(specs))]
    y = fn(ops, *xs)
    ys = list(y) if isinstance(y, (list, tuple)) else [y]
    expected = [k for k in REFERENCE.files if re.fullmatch(rf"{name}_y\d+", k)]
    assert len(ys) == len(expected)
    for i, yi in enumerate(ys):
        want = REFERENCE[f"{name}_y{i}"]
        got = np.asarray(yi)
        assert got.shape == want.shape, f"{name}: output {i} has shape {got.shape}, Keras gives {want.shape}"
        assert got.dtype.kind == want.dtype.kind or {got.dtype.kind, want.dtype.kind} <= {"i", "u"}
        np.testing.assert_allclose(got, want, **_tolerance(name, 1e-9, 1e-12), err_msg=name)
    if differentiable:
        floats = [x for x in xs if x.requires_grad]
        grads = engine.gradients(ys[0], floats, output_gradient=REFERENCE[f"{name}_gy"])
        for i, g in enumerate(grads):
            want = REFERENCE[f"{name}_gx{i}"]
            got = np.zeros_like(want) if g is None else g
            np.testing.assert_allclose(got, want, **_tolerance(name, 1e-8, 1e-10), err_msg=name)


def test_every_case_is_in_the_fixture():
    assert sorted(REFERENCE["cases"].tolist()) == sorted(CASES)
