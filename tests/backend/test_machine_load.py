"""The load probe: others' CPU use from /proc/stat and process_time, and the policy it turns to one core."""

import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import npkeras
from npkeras.backend import blas_threads_scope, get_blas_threads, machine_load, set_blas_threads, threads
from npkeras.backend.machine_load import PROBE_SECONDS, STALE_SECONDS, LoadProbe, read_machine_cpu_seconds
from npkeras.backend.parallel import run_chunks
from npkeras.ops import convolution


class Counters:
    """Hand-set machine and process CPU seconds and a hand-set clock."""

    def __init__(self):
        self.machine, self.own, self.now = 100.0, 10.0, 1000.0

    def probe(self):
        return LoadProbe(lambda: self.machine, lambda: self.own, lambda: self.now)

    def advance(self, seconds, own_cores, others_cores):
        self.now += seconds
        self.own += seconds * own_cores
        self.machine += seconds * (own_cores + others_cores)


def test_others_cores_are_machine_time_less_own_time_per_second():
    c = Counters()
    probe = c.probe()
    assert probe.machine_busy() is False  # the first call only starts the window
    c.advance(PROBE_SECONDS, own_cores=2.0, others_cores=0.0)
    assert probe.machine_busy() is False and probe.others_cores == pytest.approx(0.0)
    c.advance(PROBE_SECONDS, own_cores=1.0, others_cores=1.0)
    assert probe.machine_busy() is True and probe.others_cores == pytest.approx(1.0)


def test_the_reading_is_refreshed_only_once_per_window():
    c = Counters()
    probe = c.probe()
    probe.machine_busy()
    c.advance(PROBE_SECONDS / 2, own_cores=0.0, others_cores=2.0)
    assert probe.machine_busy() is False  # half a window: the old answer stands
    c.advance(PROBE_SECONDS / 2, own_cores=0.0, others_cores=2.0)
    assert probe.machine_busy() is True and probe.others_cores == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("others", "busy_before", "busy_after"),
    [(0.45, False, False), (0.45, True, True), (0.55, False, True), (0.25, True, False)],
)
def test_hysteresis_between_quiet_and_busy(others, busy_before, busy_after):
    c = Counters()
    probe = c.probe()
    probe.machine_busy()
    probe.busy = busy_before
    c.advance(PROBE_SECONDS, own_cores=1.0, others_cores=others)
    assert probe.machine_busy() is busy_after


def test_a_window_spanning_a_long_pause_restarts_the_reading_and_keeps_the_answer():
    c = Counters()
    probe = c.probe()
    probe.machine_busy()
    c.advance(PROBE_SECONDS, own_cores=1.0, others_cores=1.0)
    assert probe.machine_busy() is True
    c.advance(STALE_SECONDS * 3, own_cores=0.0, others_cores=0.0)
    assert probe.machine_busy() is True  # nothing measured across the pause
    c.advance(PROBE_SECONDS, own_cores=2.0, others_cores=0.0)
    assert probe.machine_busy() is False


def test_without_machine_counters_the_machine_counts_as_quiet_and_they_are_tried_once_per_window():
    tries, now = [], [0.0]
    probe = LoadProbe(machine_seconds=lambda: tries.append(now[0]), clock=lambda: now[0])
    for step in range(100):  # a second of calls, one every 10 ms
        now[0] = step * 0.01
        assert probe.machine_busy() is False
    assert tries == [0.0, PROBE_SECONDS]


def test_proc_stat_is_read_as_busy_seconds(tmp_path):
    stat = tmp_path / "stat"
    ticks = machine_load._TICKS_PER_SECOND
    # user nice system idle iowait irq softirq steal guest guest_nice
    fields = [10, 2, 5, 1000, 40, 1, 3, 4, 7, 0]
    stat.write_text("cpu  " + " ".join(str(v * ticks) for v in fields) + "\ncpu0 1 2 3 4 5 6 7 8 9 10\n")
    assert read_machine_cpu_seconds(stat) == pytest.approx(10 + 2 + 5 + 1 + 3 + 4)  # no idle, iowait or guest
    stat.write_text("intr 1 2 3\n")
    assert read_machine_cpu_seconds(stat) is None
    assert read_machine_cpu_seconds(tmp_path / "missing") is None


@pytest.mark.skipif(read_machine_cpu_seconds() is None, reason="no /proc/stat on this system")
def test_a_process_spinning_on_a_core_is_seen_as_one_busy_core():
    spin = "import time\nend = time.time() + 30\nwhile time.time() < end: pass"
    spinner = subprocess.Popen([sys.executable, "-c", spin])
    try:
        time.sleep(0.3)  # past its start-up
        probe = LoadProbe()
        probe.machine_busy()
        time.sleep(PROBE_SECONDS * 1.5)
        assert probe.machine_busy() is True
        assert 0.7 < probe.others_cores < 2.5
    finally:
        spinner.kill()
        spinner.wait()


@pytest.fixture
def busy_machine(monkeypatch):
    probe = LoadProbe(machine_seconds=lambda: None)
    probe.busy = True
    monkeypatch.setattr(machine_load, "_probe", probe)


@pytest.fixture
def one_blas_thread_scope():
    before = get_blas_threads()
    set_blas_threads(1)
    try:
        with blas_threads_scope():
            if threads.chunk_threads() < 2:
                pytest.skip("BLAS has one thread here: the policy has nothing to take back")
            yield threads.chunk_threads()
    finally:
        set_blas_threads(before)


def test_on_a_busy_machine_the_caller_runs_every_share_with_its_own_state(one_blas_thread_scope, busy_machine):
    def record(chunk, state):
        state.append((chunk, threading.get_ident()))

    chunks = list(range(11))
    states = run_chunks(record, chunks, list)
    assert len(states) == one_blas_thread_scope  # the same shares as on a quiet machine
    assert [c for c, _ in states[0]] == chunks[: len(chunks) // one_blas_thread_scope]
    assert [c for state in states for c, _ in state] == chunks
    assert {t for state in states for _, t in state} == {threading.get_ident()}


def test_on_a_busy_machine_no_gemm_is_lifted(one_blas_thread_scope, busy_machine, monkeypatch, gemm_thread_log):
    monkeypatch.setattr(threads, "LARGE_GEMM_MACS", 1)
    threads.matmul(np.ones((4, 4)), np.ones((4, 4)))
    assert gemm_thread_log == [[1] * len(threads._large_gemm_threads)]  # ran on the policy's one thread


def _trained_conv_net_weights():
    npkeras.utils.set_random_seed(3)
    layers = npkeras.layers
    model = npkeras.Sequential(
        [
            layers.Input((10, 10, 2)),
            layers.Conv2D(6, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(8, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((96, 10, 10, 2)).astype("float32"), rng.integers(0, 3, 96)
    model.fit(x, y, batch_size=32, epochs=2, verbose=0)
    return model.get_weights()


@pytest.mark.parametrize("shared_from", [1, convolution.CHUNKS_ON_ALL_CORES_FROM], ids=["shares", "lifted-gemms"])
def test_training_gives_the_same_bits_on_a_busy_machine_as_on_a_quiet_one(monkeypatch, shared_from):
    monkeypatch.setattr(convolution, "CHUNKS_ON_ALL_CORES_FROM", shared_from)
    quiet = _trained_conv_net_weights()
    busy = LoadProbe(machine_seconds=lambda: None)
    busy.busy = True
    monkeypatch.setattr(machine_load, "_probe", busy)
    for q, b in zip(quiet, _trained_conv_net_weights(), strict=True):
        np.testing.assert_array_equal(q, b)
