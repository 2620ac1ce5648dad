"""Progbar: Keras's progress bar text at verbose 1 and 2, number and time formats."""

import io
import re

import pytest

from npkeras.utils import Progbar
from npkeras.utils.progbar import _format_eta, format_time_per_unit

ANSI = re.compile(r"\x1b\[[0-9;]*m")
STEP_TIME = r"\d+(?:s|ms|us)/step"


class _Tty(io.StringIO):
    def isatty(self):
        return True


def _lines(stream):
    """The redraws written so far, ANSI codes removed, split on the carriage returns."""
    return ANSI.sub("", stream.getvalue()).split("\r")[1:]


def _bar(target=5, verbose=1, **kwargs):
    stream = io.StringIO()
    return Progbar(target, verbose=verbose, interval=0, stream=stream, **kwargs), stream


# ---- verbose=1 -------------------------------------------------------------------------
def test_verbose_1_draws_count_bar_time_and_metrics():
    bar, stream = _bar(5)
    bar.update(1, [("loss", 0.123449)])
    line = _lines(stream)[0]
    assert re.fullmatch(rf"1/5 ━{{20}} \d+s {STEP_TIME} - loss: 0\.1234", line), line


def test_verbose_1_redraws_with_a_carriage_return_and_ends_with_newline_on_finalize():
    bar, stream = _bar(3)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 1.0)])
    assert not stream.getvalue().endswith("\n")
    bar.update(3, [("loss", 1.0)], finalize=True)
    text = stream.getvalue()
    assert text.count("\r") == 3
    assert text.endswith("\n") and text.count("\n") == 1


def test_reaching_the_target_finalizes():
    bar, stream = _bar(2)
    bar.update(1)
    bar.update(2)
    assert stream.getvalue().endswith("\n")


def test_count_is_padded_to_the_width_of_the_target():
    bar, stream = _bar(25)
    bar.update(1)
    bar.update(20)
    first, second = _lines(stream)
    assert first.startswith(" 1/25 ━")
    assert second.startswith("20/25 ━")


def test_the_bar_is_always_twenty_heavy_lines():
    bar, stream = _bar(7)
    for step in range(1, 8):
        bar.update(step)
    for line in _lines(stream):
        assert re.search(r"/7 (━+) ", line).group(1) == "━" * 20


def test_on_a_terminal_the_bar_is_coloured_like_keras():
    stream = _Tty()
    bar = Progbar(25, interval=0, stream=stream)
    bar.update(20, [("loss", 2.5)])
    raw = stream.getvalue()
    assert raw.startswith("\r\x1b[1m20/25\x1b[0m \x1b[32m" + "━" * 16 + "\x1b[0m\x1b[37m" + "━" * 4 + "\x1b[0m \x1b[1m")
    assert re.search(r"\x1b\[1m\d+s\x1b\[0m \d+(?:s|ms|us)/step - loss: 2\.5000", raw), raw
    bar.update(25, [("loss", 2.5)])
    # the finished bar is all green and keeps an empty white segment
    assert "\x1b[32m" + "━" * 20 + "\x1b[0m\x1b[37m\x1b[0m" in stream.getvalue()


def test_small_values_use_exponent_format_with_abs_threshold():
    bar, stream = _bar(5, stateful_metrics={"a", "b", "c", "d", "e"})
    bar.update(1, [("a", 0.0005), ("b", -0.0005), ("c", 0.0), ("d", -0.5), ("e", 0.001)])
    line = _lines(stream)[0]
    assert line.endswith(" - a: 5.0000e-04 - b: -5.0000e-04 - c: 0.0000e+00 - d: -0.5000 - e: 1.0000e-03")


def test_metrics_keep_their_first_seen_order():
    bar, stream = _bar(5, stateful_metrics={"loss", "accuracy"})
    bar.update(1, [("loss", 1.0), ("accuracy", 0.5)])
    bar.update(2, [("accuracy", 0.25), ("loss", 2.0)])
    assert _lines(stream)[-1].rstrip().endswith("- loss: 2.0000 - accuracy: 0.2500")


def test_non_stateful_values_are_averaged_over_steps():
    bar, stream = _bar(10)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 3.0)])
    assert _lines(stream)[-1].rstrip().endswith("loss: 2.0000")
    bar.update(4, [("loss", 6.0)])  # weight 2 for the two steps covered: (1 + 3 + 12) / 4
    assert _lines(stream)[-1].rstrip().endswith("loss: 4.0000")


def test_stateful_values_are_shown_as_given():
    bar, stream = _bar(10, stateful_metrics={"acc"})
    bar.update(1, [("acc", 1.0)])
    bar.update(2, [("acc", 0.0)])
    assert _lines(stream)[-1].rstrip().endswith("acc: 0.0000e+00")


def test_finalize_shows_the_final_values_not_the_average():
    # keras 3.13.2 Progbar.update: `if finalize: self._values[k] = [v, 1]` for every non-stateful value.
    bar, stream = _bar(2)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 3.0)], finalize=True)
    assert _lines(stream)[-1].rstrip().endswith("loss: 3.0000")


def test_shorter_redraws_are_padded_over_the_previous_line():
    bar, stream = _bar(5, stateful_metrics={"loss"})
    bar.update(1, [("loss", 123456.0), ("extra", 1.0)])
    bar.update(2, [("loss", 1.0)])
    first, second = _lines(stream)
    assert len(second) >= len(first)
    assert second.rstrip(" ").endswith("loss: 1.0000 - extra: 1.0000")


def test_updates_inside_the_interval_are_not_drawn():
    stream = io.StringIO()
    bar = Progbar(100, interval=3600, stream=stream)
    bar.update(1)  # the first update is always drawn
    for step in range(2, 50):
        bar.update(step)
    assert stream.getvalue().count("\r") == 1
    bar.update(100)  # finalizing always draws
    assert stream.getvalue().count("\r") == 2


def test_unknown_target():
    bar, stream = _bar(None)
    bar.update(3, [("loss", 0.5)])
    line = _lines(stream)[0]
    assert re.fullmatch(rf"      3/Unknown \d+s {STEP_TIME} - loss: 0\.5000", line), line


def test_add_advances_by_n():
    bar, stream = _bar(4)
    bar.add(1)
    bar.add(3)
    assert _lines(stream)[-1].startswith("4/4 ")
    assert stream.getvalue().endswith("\n")


def test_verbose_0_writes_nothing():
    bar, stream = _bar(3, verbose=0)
    for step in (1, 2, 3):
        bar.update(step, [("loss", 1.0)])
    assert stream.getvalue() == ""


def test_writes_to_stdout_by_default(capsys):
    bar = Progbar(2, interval=0)
    bar.update(2, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert ANSI.sub("", out).startswith("\r2/2 ━")
    assert out.endswith("\n")


# ---- verbose=2 -------------------------------------------------------------------------
def test_verbose_2_prints_one_line_at_the_end():
    bar, stream = _bar(25, verbose=2, stateful_metrics={"accuracy", "loss"})
    for step in range(1, 25):
        bar.update(step, [("accuracy", 0.5), ("loss", 2.0)])
    assert stream.getvalue() == ""
    bar.update(25, [("accuracy", 0.1), ("loss", 2.44331)])
    out = stream.getvalue()
    assert re.fullmatch(rf"25/25 - \d+s - {STEP_TIME} - accuracy: 0\.1000 - loss: 2\.4433\n", out), out


def test_verbose_2_threshold_has_no_abs():
    bar, stream = _bar(1, verbose=2, stateful_metrics={"a", "b", "c"})
    bar.update(1, [("a", -0.5), ("b", 0.0005), ("c", 0.5)])
    assert stream.getvalue().endswith(" - a: -5.0000e-01 - b: 5.0000e-04 - c: 0.5000\n")


def test_verbose_2_pads_the_count():
    bar, stream = _bar(100, verbose=2)
    bar.update(100, finalize=True)
    assert stream.getvalue().startswith("100/100 - ")
    bar, stream = _bar(100, verbose=2)
    bar.update(7, finalize=True)
    assert stream.getvalue().startswith("  7/100 - ")


def test_verbose_2_finalize_shows_the_final_values():
    bar, stream = _bar(3, verbose=2)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 3.0)])
    bar.update(3, [("loss", -0.5)])
    assert stream.getvalue().endswith(" - loss: -5.0000e-01\n")


# ---- time formats ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, " 0s/step"),
        (1, " 1s/step"),
        (2.4, " 2s/step"),
        (0.999, " 999ms/step"),
        (0.0123, " 12ms/step"),
        (1e-3, " 1ms/step"),
        (0.000999, " 999us/step"),
        (5e-5, " 50us/step"),
    ],
)
def test_format_time_per_unit(seconds, text):
    assert format_time_per_unit(seconds, "step") == text


def test_format_time_per_unit_uses_the_unit_name():
    assert format_time_per_unit(0.5, "sample") == " 500ms/sample"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (5.7, "5s"),
        (60, "60s"),
        (61, "1:01"),
        (125.9, "2:05"),
        (3600, "60:00"),
        (3601, "1:00:01"),
        (3661.5, "1:01:01"),
        (36000, "10:00:00"),
    ],
)
def test_format_eta(seconds, text):
    assert _format_eta(seconds) == text
