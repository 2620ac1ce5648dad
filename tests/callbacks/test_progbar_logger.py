"""What fit / evaluate / predict print at verbose 0, 1 and 2 (keras_facts.md section 1)."""

import re

import numpy as np

import npkeras
from npkeras import layers

ANSI = re.compile(r"\x1b\[[0-9;]*m")
NUMBER = r"-?\d+\.\d{4}(?:e[+-]\d\d)?"
STEP_TIME = r"\d+(?:s|ms|us)/step"


def _model(metrics=("accuracy",)):
    model = npkeras.Sequential([npkeras.Input((2,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return model


def _data(n=40):
    rng = np.random.default_rng(2)
    return rng.normal(size=(n, 2)).astype("float32"), rng.integers(0, 2, n)


def _plain(text):
    return ANSI.sub("", text).replace("\b", "")


def test_verbose_2_prints_one_line_per_epoch_with_epoch_headers(capsys):
    x, y = _data(40)
    history = _model().fit(x, y, batch_size=8, epochs=2, validation_split=0.2, verbose=2)
    lines = _plain(capsys.readouterr().out).split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert len(lines) == 4
    assert lines[0] == "Epoch 1/2"
    assert lines[2] == "Epoch 2/2"
    pattern = (
        rf"4/4 - \d+s - {STEP_TIME} - accuracy: ({NUMBER}) - loss: ({NUMBER}) - val_accuracy: ({NUMBER})"
        rf" - val_loss: ({NUMBER})"
    )
    for epoch, line in enumerate((lines[1], lines[3])):
        match = re.fullmatch(pattern, line)
        assert match, line
        for key, text in zip(["accuracy", "loss", "val_accuracy", "val_loss"], match.groups()):
            assert text == f"{history.history[key][epoch]:.4f}"


def test_verbose_2_pads_the_step_count_to_the_target_width(capsys):
    x, y = _data(40)
    _model(metrics=()).fit(x, y, batch_size=4, epochs=1, verbose=2)  # 10 steps
    out = _plain(capsys.readouterr().out)
    assert re.fullmatch(rf"10/10 - \d+s - {STEP_TIME} - loss: {NUMBER}\n", out), out


def test_one_epoch_prints_no_epoch_header(capsys):
    x, y = _data(16)
    _model().fit(x, y, batch_size=8, epochs=1, verbose=2)
    out = _plain(capsys.readouterr().out)
    assert "Epoch" not in out
    assert out.count("\n") == 1
    assert out.startswith("2/2 - ")


def test_verbose_0_prints_nothing(capsys):
    x, y = _data(16)
    model = _model()
    model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_verbose_1_redraws_one_line_per_epoch(capsys):
    x, y = _data(40)
    model = _model()
    history = model.fit(x, y, batch_size=8, epochs=2, validation_split=0.2, verbose=1)
    out = _plain(capsys.readouterr().out)
    assert out.endswith("\n")
    # two headers and one finished bar per epoch; validation draws no bar of its own inside fit
    chunks = out.split("\n")[:-1]
    assert [c for c in chunks if c.startswith("Epoch")] == ["Epoch 1/2", "Epoch 2/2"]
    bars = [c for c in chunks if not c.startswith("Epoch")]
    assert len(bars) == 2
    for epoch, bar in enumerate(bars):
        assert bar.startswith("\r")
        final = bar.split("\r")[-1].rstrip(" ")
        match = re.fullmatch(
            rf"4/4 ━{{20}} \d+s {STEP_TIME} - accuracy: ({NUMBER}) - loss: ({NUMBER})"
            rf" - val_accuracy: ({NUMBER}) - val_loss: ({NUMBER})",
            final,
        )
        assert match, final
        assert match.group(4) == f"{history.history['val_loss'][epoch]:.4f}"
        first = bar.split("\r")[1]
        assert first.startswith("1/4 ━━━━━━━━━━━━━━━━━━━━ ")  # the first update is always drawn


def test_default_verbose_is_1(capsys):
    x, y = _data(16)
    _model().fit(x, y, batch_size=8)
    out = _plain(capsys.readouterr().out)
    assert out.startswith("\r1/2 ")
    assert out.endswith("\n")


def test_evaluate_verbose_2_prints_one_line(capsys):
    x, y = _data(40)
    model = _model()
    logs = model.evaluate(x, y, batch_size=20, verbose=2, return_dict=True)
    out = _plain(capsys.readouterr().out)
    match = re.fullmatch(rf"2/2 - \d+s - {STEP_TIME} - accuracy: ({NUMBER}) - loss: ({NUMBER})\n", out)
    assert match, out
    assert match.group(1) == f"{logs['accuracy']:.4f}"
    assert match.group(2) == f"{logs['loss']:.4f}"


def test_evaluate_verbose_1_draws_a_bar_without_epoch_line(capsys):
    x, y = _data(40)
    _model().evaluate(x, y, batch_size=10, verbose=1)
    out = _plain(capsys.readouterr().out)
    assert "Epoch" not in out
    assert out.startswith("\r") and out.endswith("\n") and out.count("\n") == 1
    final = out.split("\r")[-1].rstrip("\n").rstrip(" ")
    assert re.fullmatch(rf"4/4 ━{{20}} \d+s {STEP_TIME} - accuracy: {NUMBER} - loss: {NUMBER}", final), final


def test_predict_verbose_2_shows_only_count_and_time(capsys):
    x, _ = _data(40)
    _model().predict(x, batch_size=32, verbose=2)
    out = _plain(capsys.readouterr().out)
    assert re.fullmatch(rf"2/2 - \d+s - {STEP_TIME}\n", out), out


def test_predict_verbose_1_shows_only_bar_and_time(capsys):
    x, _ = _data(40)
    _model().predict(x, batch_size=32, verbose=1)
    out = _plain(capsys.readouterr().out)
    final = out.split("\r")[-1]
    assert re.fullmatch(rf"2/2 ━{{20}} \d+s {STEP_TIME} *\n", final), final


def test_validation_in_fit_uses_no_extra_bar(capsys):
    x, y = _data(40)
    _model().fit(x, y, batch_size=8, epochs=1, validation_data=(x[:10], y[:10]), verbose=2)
    out = _plain(capsys.readouterr().out)
    assert out.count("\n") == 1
    assert "val_loss" in out
