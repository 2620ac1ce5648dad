"""Progbar: Keras's progress bar (verbose=1 redraws one line, verbose=2 prints at the end)."""

import math
import sys
import time

import numpy as np


def _format_eta(seconds):
    if seconds > 3600:
        return f"{int(seconds) // 3600}:{(int(seconds) % 3600) // 60:02d}:{int(seconds) % 60:02d}"
    if seconds > 60:
        return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
    return f"{int(seconds)}s"


def format_time_per_unit(seconds, unit):
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit}"
    return f" {seconds * 1e6:.0f}us/{unit}"


class Progbar:
    """Keras's Progbar: `update(current, values)` with (name, value) pairs.

    Values named in `stateful_metrics` are shown as given; others are averaged over steps.
    The line is redrawn with a carriage return at most every `interval` seconds; colours
    are used only when the stream is a terminal.
    """

    def __init__(
        self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None, unit_name="step", stream=None
    ):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = stateful_metrics if stateful_metrics is not None else set()
        self.stream = stream or sys.stdout
        self._color = bool(getattr(self.stream, "isatty", lambda: False)())
        self._values = {}  # name -> value as shown, or [weighted sum, steps]
        self._start = time.time()
        self._last_update = 0.0
        self._after_first_step = None
        self._seen = 0
        self._prev_width = 0

    def update(self, current, values=None, finalize=None):
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            if name in self.stateful_metrics:
                self._values[name] = value
            elif finalize:  # the final line shows the final values, as Keras's does
                self._values[name] = [float(np.mean(value)), 1]
            else:
                step = max(current - self._seen, 1)
                total = self._values.setdefault(name, [0.0, 0])
                total[0] += float(np.mean(value)) * step
                total[1] += step
        self._seen = current
        now = time.time()
        if current == 1 or self._after_first_step is None:
            self._after_first_step = now
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw(current, now, finalize)
        elif self.verbose == 2 and finalize:
            per_unit = (now - self._start) / max(current, 1)
            digits = int(math.log10(self.target)) + 1 if self.target else 1
            line = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s -"
            line += format_time_per_unit(per_unit, self.unit_name)
            self.stream.write(line + self._metrics_text(abs_threshold=False) + "\n")
            self.stream.flush()
        self._last_update = now

    def add(self, n, values=None):
        self.update(self._seen + n, values)

    def _value(self, value):
        return value[0] / max(1, value[1]) if isinstance(value, list) else value

    def _metrics_text(self, abs_threshold=True):
        parts = []
        for name, value in self._values.items():
            value = self._value(value)
            if isinstance(value, str):
                parts.append(f" - {name}: {value}")
                continue
            value = float(np.mean(value))  # a per-class metric shows its mean, as Keras's bar does
            small = abs(value) <= 1e-3 if abs_threshold else value <= 1e-3
            parts.append(f" - {name}: {value:.4e}" if small else f" - {name}: {value:.4f}")
        return "".join(parts)

    def _style(self, text, code):
        return f"\x1b[{code}m{text}\x1b[0m" if self._color else text

    def _step_time(self, current, now):
        if current <= 1:
            return (now - self._start) / max(current, 1)
        return (now - self._after_first_step) / (current - 1)

    def _draw(self, current, now, finalize):
        if self.target:
            digits = int(math.log10(self.target)) + 1
            filled = int(self.width * current / self.target)
            plain = f"{current:{digits}d}/{self.target} " + "━" * self.width
            bar = (
                self._style(f"{current:{digits}d}/{self.target}", 1)
                + " "
                + (self._style("━" * filled, 32) if filled else "")
                + self._style("━" * (self.width - filled), 37)
            )
        else:
            plain = bar = f"{current:7d}/Unknown"
        per_unit = self._step_time(current, now)
        if finalize or not self.target:
            timing = f"{now - self._start:.0f}s"
        else:
            timing = _format_eta(per_unit * (self.target - current))
        info = " " + self._style(timing, 1) + format_time_per_unit(per_unit, self.unit_name) + self._metrics_text()
        width = len(plain) + 1 + len(timing) + len(info) - len(" " + self._style(timing, 1))
        pad = " " * max(self._prev_width - width, 0)
        self._prev_width = width
        self.stream.write("\r" + bar + info + pad + ("\n" if finalize else ""))
        self.stream.flush()
