"""Per-thread scratch buffers."""

import threading

import numpy as np

from npkeras.backend import scratch as scratch_module
from npkeras.backend.scratch import scratch


def test_same_name_reuses_memory_across_shapes():
    a = scratch("t", (4, 5), np.float32)
    a[...] = 7
    b = scratch("t", (2, 10), np.float32)
    assert b.shape == (2, 10) and np.shares_memory(a, b)
    c = scratch("t", (3, 3), np.float64)  # another dtype is another buffer
    assert not np.shares_memory(a, c)


def test_a_larger_request_grows_the_buffer():
    scratch("grow", (2, 2), np.float32)
    big = scratch("grow", (100, 100), np.float32)
    assert big.shape == (100, 100) and np.shares_memory(big, scratch("grow", (10,), np.float32))


def test_buffers_above_the_keep_limit_are_not_kept(monkeypatch):
    monkeypatch.setattr(scratch_module, "KEEP_BYTES", 64)
    a = scratch("huge", (100,), np.float32)
    b = scratch("huge", (100,), np.float32)
    assert not np.shares_memory(a, b)


def test_threads_get_their_own_buffers():
    mine = scratch("per-thread", (8,), np.float32)
    theirs = []
    worker = threading.Thread(target=lambda: theirs.append(scratch("per-thread", (8,), np.float32)))
    worker.start()
    worker.join()
    assert not np.shares_memory(mine, theirs[0])
