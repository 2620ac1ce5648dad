"""Whether other programs keep this machine's cores busy: the load-aware half of the thread policy.

Inside fit/evaluate/predict npkeras spreads a convolution's chunks over every core and lifts large
GEMMs (and the recurrences' step products) to all BLAS threads. On a quiet machine that pays; when
another program keeps a core busy, each hand-off waits for that core: the row-LSTM, whose 56 step
products per batch are lifted, fell from 3,656 to 1,296 samples/s with one core kept busy, and
trained at 3,037 with neither lifts nor helper shares (benchmarks/compare.py --under-load,
2-core machine, batch 32).

So the policy asks `machine_busy()`. It compares the CPU time the whole machine spent (Linux's
/proc/stat, all cores, steal included) with what this process spent (`time.process_time`, all its
threads) over the last PROBE_SECONDS: the difference is the cores others keep busy. The reading
is refreshed at most every PROBE_SECONDS by whichever call asks after that, so it costs two small
reads twice a second (about 30 us), never a timed trial run that a cold thread could mislead.
Where /proc/stat is missing (macOS, Windows) the machine counts as quiet, as before the probe.

What it changes is only where work runs, never how it is split: the shares stay the same and
OpenBLAS gives the same bits on one thread as on two, so results are identical busy or quiet.
"""

import os
import threading
import time

PROBE_SECONDS = 0.5
BUSY_FROM_CORES = 0.5  # others' use, in cores, that turns the policy to one core ...
QUIET_BELOW_CORES = 0.3  # ... and back: the gap keeps a load near the threshold from flapping
STALE_SECONDS = 4 * PROBE_SECONDS  # a longer window (no call in between) only restarts the reading

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_IDLE_FIELDS = (3, 4)  # idle and iowait among /proc/stat's cpu fields; guest time is inside user


def read_machine_cpu_seconds(path="/proc/stat"):
    """CPU seconds every core of the machine spent busy since boot, or None where Linux's counters are missing."""
    try:
        with open(path, "rb") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != b"cpu":
        return None
    ticks = [int(v) for v in fields[1:9]]
    return sum(v for i, v in enumerate(ticks) if i not in _IDLE_FIELDS) / _TICKS_PER_SECOND


class LoadProbe:
    """Others' CPU use, in cores, over the last probe window; `busy` follows it with hysteresis."""

    def __init__(self, machine_seconds=read_machine_cpu_seconds, own_seconds=time.process_time, clock=time.monotonic):
        self._machine_seconds, self._own_seconds, self._clock = machine_seconds, own_seconds, clock
        self._lock = threading.Lock()
        self._last = None  # (clock, machine seconds, own seconds) at the window's start
        self._next_reading = float("-inf")  # when the counters are next read (also where they are missing)
        self.others_cores = 0.0
        self.busy = False

    def machine_busy(self):
        """Whether others keep at least BUSY_FROM_CORES busy (refreshing the reading when it is old)."""
        if self._clock() >= self._next_reading:
            self._refresh()
        return self.busy

    def _refresh(self):
        if not self._lock.acquire(blocking=False):  # another thread is reading: its answer will do
            return
        try:
            now, machine = self._clock(), self._machine_seconds()
            self._next_reading = now + PROBE_SECONDS
            if machine is None:
                return
            own, last = self._own_seconds(), self._last
            self._last = (now, machine, own)
            if last is None or not 0 < now - last[0] <= STALE_SECONDS:  # a window spanning a pause says little of now
                return
            self.others_cores = max(0.0, ((machine - last[1]) - (own - last[2])) / (now - last[0]))
            self.busy = self.others_cores >= (QUIET_BELOW_CORES if self.busy else BUSY_FROM_CORES)
        finally:
            self._lock.release()


_probe = LoadProbe()


def machine_busy():
    """Whether other programs keep a core of this machine busy now (see the module's docstring)."""
    return _probe.machine_busy()
