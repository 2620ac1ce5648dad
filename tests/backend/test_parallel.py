"""run_chunks: fixed shares of chunks on every core inside the BLAS scope, one after another outside it."""

import threading

import numpy as np
import pytest

from npkeras.backend import blas_threads_scope, get_blas_threads, set_blas_threads, threads
from npkeras.backend.parallel import run_chunks


@pytest.fixture
def one_blas_thread_scope():
    before = get_blas_threads()
    set_blas_threads(1)
    with blas_threads_scope():
        if threads.chunk_threads() < 2:
            pytest.skip("BLAS has one thread here: chunks run one after another")
        yield threads.chunk_threads()
    set_blas_threads(before)


def record(chunk, state):
    state.append((chunk, threading.get_ident(), threads.chunk_threads()))


def test_outside_a_scope_chunks_run_in_order_in_the_calling_thread():
    states = run_chunks(record, list(range(5)), list)
    assert len(states) == 1
    assert [c for c, _, _ in states[0]] == [0, 1, 2, 3, 4]
    assert {t for _, t, _ in states[0]} == {threading.get_ident()}


def test_inside_the_scope_each_thread_takes_one_contiguous_share(one_blas_thread_scope):
    count = one_blas_thread_scope
    chunks = list(range(11))
    states = run_chunks(record, chunks, list)
    assert len(states) == count
    assert [c for state in states for c, _, _ in state] == chunks  # shares in order, each chunk once
    assert [c for c, _, _ in states[0]] == chunks[: len(chunks) // count]
    assert {t for _, t, _ in states[0]} == {threading.get_ident()}  # the caller takes the first share
    assert len({state[0][1] for state in states}) == count
    assert {n for state in states for _, _, n in state} == {1}  # no chunk splits itself again


def test_gemms_in_a_share_stay_on_one_thread(one_blas_thread_scope, monkeypatch):
    monkeypatch.setattr(threads, "LARGE_GEMM_MACS", 1)  # would lift any product outside a share
    seen = []

    def gemm(chunk, _):
        threads.matmul(np.ones((4, 4)), np.ones((4, 4)))
        seen.append([lib.num_threads for lib, _ in threads._large_gemm_threads])

    run_chunks(gemm, list(range(4)))
    assert seen and all(set(n) == {1} for n in seen)


def test_fewer_chunks_than_cores_use_fewer_threads(one_blas_thread_scope):
    assert len(run_chunks(record, [0], list)) == 1


def test_an_error_in_a_share_comes_out_after_every_share_has_finished(one_blas_thread_scope):
    finished = []

    def work(chunk, _):
        if chunk == 0:
            raise ValueError("chunk 0 failed")
        finished.append(chunk)

    with pytest.raises(ValueError, match="chunk 0 failed"):
        run_chunks(work, list(range(8)))
    assert sorted(finished) == list(range(8 // one_blas_thread_scope, 8))
