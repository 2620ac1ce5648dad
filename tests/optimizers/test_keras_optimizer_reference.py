"""Every optimizer's updates equal Keras-TensorFlow's over 10 steps of a known gradient sequence, with each
clipping mode and weight decay (fixture: tests/fixtures/optimizer_reference.*, make_optimizer_reference.py)."""

import json
from pathlib import Path

import numpy as np
import pytest

import npkeras

FIXTURES = Path(__file__).parents[1] / "fixtures"
CASES = json.loads((FIXTURES / "optimizer_reference.json").read_text())
REF = np.load(FIXTURES / "optimizer_reference.npz")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_updates_equal_keras(case):
    optimizer = getattr(npkeras.optimizers, case["class_name"])(**case["config"])
    variables = [npkeras.Variable(REF["w0"].copy()), npkeras.Variable(REF["w1"].copy())]
    for step in range(1, 11):
        optimizer.apply_gradients([(REF[f"g{step}.{i}"], v) for i, v in enumerate(variables)])
        for i, v in enumerate(variables):
            np.testing.assert_allclose(
                v.data, REF[f"{case['name']}.w{step}.{i}"], rtol=0, atol=1e-6, err_msg=f"step {step}, variable {i}"
            )
    expected = [REF[k] for k in sorted((k for k in REF.files if k.startswith(f"{case['name']}.opt.")),
                                       key=lambda k: int(k.rsplit(".", 1)[1]))]  # fmt: skip
    assert len(optimizer.variables) == len(expected)  # Keras's saving order, so files interoperate
    for j, (ours, theirs) in enumerate(zip(optimizer.variables, expected)):
        np.testing.assert_allclose(ours.data, theirs, rtol=1e-5, atol=1e-6, err_msg=f"optimizer variable {j}")


def test_adamw_needs_a_weight_decay():
    with pytest.raises(ValueError, match="weight_decay=None"):
        npkeras.optimizers.AdamW(weight_decay=None)


def test_adagrad_refuses_a_negative_initial_accumulator():
    with pytest.raises(ValueError, match="initial_accumulator_value"):
        npkeras.optimizers.Adagrad(initial_accumulator_value=-1.0)


@pytest.mark.parametrize("name", ["adagrad", "adadelta", "adamax", "adamw", "nadam", "Nadam", "AdamW"])
def test_new_optimizers_by_name_and_config_round_trip(name):
    optimizer = npkeras.optimizers.get(name)
    again = npkeras.optimizers.get(npkeras.optimizers.serialize(optimizer))
    assert type(again) is type(optimizer) and again.get_config() == optimizer.get_config()
