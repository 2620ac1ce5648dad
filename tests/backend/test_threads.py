"""BLAS thread policy: set/get validation and the scope that limits BLAS threads."""

import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import npkeras
from npkeras import layers
from npkeras.backend import blas_threads_scope, get_blas_threads, set_blas_threads


@pytest.fixture(autouse=True)
def _restore_policy():
    before = get_blas_threads()
    yield
    set_blas_threads(before)


def _blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_default_policy_is_one_thread():
    import npkeras.backend.threads as threads

    assert threads._DEFAULT_TRAINING_THREADS == 1


@pytest.mark.parametrize("n", [1, 2, 8, None])
def test_set_and_get(n):
    set_blas_threads(n)
    assert get_blas_threads() == n


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True, False, [1]])
def test_set_refuses_anything_but_a_positive_int_or_none(bad):
    before = get_blas_threads()
    with pytest.raises(ValueError, match="positive integer"):
        set_blas_threads(bad)
    assert get_blas_threads() == before


def test_scope_limits_blas_threads_and_restores_them():
    outside = _blas_threads()
    assert outside, "numpy's BLAS should be visible to threadpoolctl"
    set_blas_threads(1)
    with blas_threads_scope():
        assert set(_blas_threads()) == {1}
    assert _blas_threads() == outside


def test_scope_with_none_leaves_blas_alone():
    outside = _blas_threads()
    set_blas_threads(None)
    with blas_threads_scope():
        assert _blas_threads() == outside
    assert _blas_threads() == outside


def test_scope_restores_after_an_exception():
    outside = _blas_threads()
    set_blas_threads(1)
    with pytest.raises(RuntimeError), blas_threads_scope():
        raise RuntimeError("boom")
    assert _blas_threads() == outside


def test_fit_runs_under_the_policy_and_restores_blas_afterwards():
    outside = _blas_threads()
    seen = []

    class Spy(npkeras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(set(_blas_threads()))

    set_blas_threads(1)
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((4, 3), "float32"), np.zeros((4, 1), "float32"), batch_size=2, verbose=0, callbacks=[Spy()])
    assert seen == [{1}, {1}]
    assert _blas_threads() == outside


def test_scopes_open_in_two_threads_restore_blas_when_the_last_closes():
    import threading

    from npkeras.backend.threads import matmul

    outside = _blas_threads()
    set_blas_threads(1)
    a, b = np.ones((256, 128), np.float32), np.ones((128, 256), np.float32)  # 8M MACs: lifted

    def work():
        for _ in range(50):
            with blas_threads_scope():
                matmul(a, b)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert _blas_threads() == outside


def test_large_gemms_are_lifted_to_all_threads_and_back(monkeypatch, gemm_thread_log):
    import npkeras.backend.threads as threads

    a, b = np.ones((64, 32), np.float32), np.ones((32, 16), np.float32)
    set_blas_threads(1)
    with blas_threads_scope():
        lifted_to = [n for _, n in threads._large_gemm_threads]
        if not lifted_to:
            pytest.skip("BLAS runs on one thread here: nothing to lift")
        monkeypatch.setattr(threads, "LARGE_GEMM_MACS", 64 * 32 * 16)
        np.testing.assert_array_equal(threads.matmul(a, b), a @ b)
        monkeypatch.setattr(threads, "LARGE_GEMM_MACS", 64 * 32 * 16 + 1)
        threads.matmul(a, b)
        after = [lib.num_threads for lib, _ in threads._large_gemm_threads]
    assert gemm_thread_log == [lifted_to, [1] * len(lifted_to)]
    assert after == [1] * len(lifted_to)


def test_a_scope_closed_last_by_another_thread_restores_blas():
    """threadpoolctl lets one thread set OpenBLAS's threads; the scope takes control wherever it closes."""
    before = _blas_threads()
    opened, closing = threading.Event(), threading.Event()

    def worker():
        with blas_threads_scope():
            opened.set()
            assert closing.wait(10)

    thread = threading.Thread(target=worker)
    with blas_threads_scope():
        thread.start()
        assert opened.wait(10)
        assert _blas_threads() == [1] * len(before)
    closing.set()  # the worker's scope is now the last one open
    thread.join()
    assert _blas_threads() == before
