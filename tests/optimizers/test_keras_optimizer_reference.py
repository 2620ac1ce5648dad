"""Every optimizer's updates equal Keras-TensorFlow's over 10 steps of a known gradient sequence, with each
clipping mode, weight decay and schedules; so do the schedules alone (fixture: tests/fixtures/
optimizer_reference.*, made by make_optimizer_reference.py)."""

import json
from pathlib import Path

import numpy as np
import pytest

import npkeras

FIXTURES = Path(__file__).parents[1] / "fixtures"
LISTING = json.loads((FIXTURES / "optimizer_reference.json").read_text())
CASES, SCHEDULES = LISTING["optimizers"], LISTING["schedules"]
REF = np.load(FIXTURES / "optimizer_reference.npz")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_updates_equal_keras(case):
    """10 steps; the last two cases take their learning rate from a schedule."""
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


@pytest.mark.parametrize("case", SCHEDULES, ids=[c["name"] for c in SCHEDULES])
def test_schedules_equal_keras(case):
    schedule = getattr(npkeras.optimizers.schedules, case["class_name"])(**case["config"])
    values = [schedule(step) for step in range(40)]
    np.testing.assert_allclose(values, REF[f"schedule.{case['name']}"], rtol=1e-6, atol=1e-8)
    again = npkeras.optimizers.schedules.deserialize(npkeras.optimizers.schedules.serialize(schedule))
    assert type(again) is type(schedule) and again.get_config() == schedule.get_config()


def test_an_optimizer_with_a_schedule_saves_it_in_its_config():
    schedule = npkeras.optimizers.schedules.ExponentialDecay(0.1, 5, 0.5)
    config = npkeras.optimizers.Adam(schedule).get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    restored = npkeras.optimizers.Adam.from_config(config)
    assert [v.name for v in restored.variables] == ["iteration"]  # no learning-rate variable, as in Keras
    assert float(np.asarray(restored.learning_rate)) == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda s: s.ExponentialDecay(0.1, 0, 0.5), "`decay_steps` must be > 0"),
        (lambda s: s.CosineDecayRestarts(0.1, 0), "`first_decay_steps` must be > 0"),
        (lambda s: s.PiecewiseConstantDecay([1, 2], [0.1]), "should be 1 less than the length of values"),
        (lambda s: s.deserialize({"class_name": "NoSuchDecay", "config": {}}), "learning rate schedule identifier"),
        (lambda s: npkeras.optimizers.SGD(learning_rate="fast"), "should be a float, a LearningRateSchedule"),
    ],
)
def test_bad_schedules_say_what_is_wrong(make, message):
    with pytest.raises(ValueError, match=message):
        make(npkeras.optimizers.schedules)
