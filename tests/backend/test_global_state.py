"""Scoped framework state is per thread: one thread's no_grad, training flag, weight budget, safe mode or
random draws never reach another's, and the automatic names stay unique across threads."""

import threading

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.autograd import mode
from npkeras.backend import random, threads
from npkeras.backend.global_state import uniquify
from npkeras.layers.weight_budget import weight_budget
from npkeras.saving.registration import in_safe_mode, safe_mode_scope


def in_other_thread(work, holding, release):
    """Run `work` in a thread that, once `holding` is set, waits for `release` before it leaves its scope."""
    errors = []

    def run():
        try:
            work()
        except BaseException as e:  # reported by the test
            errors.append(e)
            holding.set()

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    return thread, errors


def test_a_tape_records_while_another_thread_is_in_no_grad():
    entered, inside, leave = threading.Event(), threading.Event(), threading.Event()
    built_in_other = []

    def inference():
        assert entered.wait(10)
        with mode.no_grad():
            built_in_other.append(npkeras.Tensor(np.ones(3), requires_grad=True) * 2.0)
            inside.set()
            assert leave.wait(10)

    worker = threading.Thread(target=inference)
    worker.start()
    w = npkeras.Variable(np.array([1.0, 2.0, 3.0]))
    with npkeras.GradientTape() as tape:
        entered.set()
        assert inside.wait(10)  # the other thread is inside no_grad() now
        loss = npkeras.ops.sum(w * w)
    grad = tape.gradient(loss, w)
    leave.set()
    worker.join()
    np.testing.assert_allclose(grad.numpy(), [2.0, 4.0, 6.0])
    assert built_in_other[0].creator is None  # the other thread recorded nothing


def test_the_training_flag_of_a_call_in_progress_stays_in_its_thread():
    holding, release = threading.Event(), threading.Event()
    seen = {}

    class Probe(layers.Layer):
        def call(self, inputs, training=False):
            seen.setdefault(threading.current_thread().name, []).append(training)
            if threading.current_thread().name == "trainer":
                holding.set()
                assert release.wait(10)
            return inputs

    model = npkeras.Sequential([npkeras.Input((2,)), Probe()])
    seen.clear()  # building ran the layer once
    trainer = threading.Thread(target=lambda: model(np.ones((1, 2)), training=True), name="trainer")
    trainer.start()
    assert holding.wait(10)
    Probe()(np.ones((1, 2)))  # an outermost call here: training defaults to False
    release.set()
    trainer.join()
    assert seen == {"trainer": [True], threading.current_thread().name: [False]}


def test_a_weight_budget_binds_only_the_thread_that_set_it():
    holding, release = threading.Event(), threading.Event()

    def loading():
        with weight_budget(64, "a small file"):
            holding.set()
            assert release.wait(10)
            layers.Dense(100).build((None, 100))

    thread, errors = in_other_thread(loading, holding, release)
    layers.Dense(100).build((None, 100))  # no budget in this thread
    release.set()
    thread.join()
    assert len(errors) == 1 and "a small file" in str(errors[0])


def test_safe_mode_off_in_one_thread_leaves_another_safe():
    holding, release = threading.Event(), threading.Event()

    def unsafe_load():
        with safe_mode_scope(False):
            holding.set()
            assert release.wait(10)

    thread, errors = in_other_thread(unsafe_load, holding, release)
    assert in_safe_mode()
    release.set()
    thread.join()
    assert not errors


def test_another_threads_draws_never_shift_this_threads_stream():
    npkeras.utils.set_random_seed(5)
    expected = random.generator().random(4)
    npkeras.utils.set_random_seed(5)
    draws = []
    worker = threading.Thread(target=lambda: draws.append(random.generator().random(1000)))
    worker.start()
    worker.join()
    np.testing.assert_array_equal(random.generator().random(4), expected)
    assert not np.allclose(draws[0][:4], expected)  # the worker drew its own stream


def test_a_thread_that_seeds_itself_repeats_a_seeded_run_whatever_runs_beside_it():
    def weights_after_fit(out):
        npkeras.utils.set_random_seed(11)
        model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(4), layers.Dropout(0.5), layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        x = np.linspace(0, 1, 60, dtype="float32").reshape(20, 3)
        model.fit(x, x[:, :1], epochs=3, batch_size=4, verbose=0)
        out.append(model.get_weights())

    alone = []
    weights_after_fit(alone)
    together = [[], []]
    workers = [threading.Thread(target=weights_after_fit, args=(out,)) for out in together]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for out in together:
        for a, b in zip(alone[0], out[0]):
            np.testing.assert_array_equal(a, b)


def test_compute_scopes_count_threads_once_and_two_computing_threads_lift_no_gemm(gemm_thread_log):
    if not threads._blas_libraries() or max(lib.num_threads for lib in threads._blas_libraries()) < 2:
        pytest.skip("BLAS runs on one thread here: nothing to lift")
    holding, release = threading.Event(), threading.Event()

    def computing():
        with threads.blas_threads_scope(), threads.blas_threads_scope():
            holding.set()
            assert release.wait(10)

    big = np.ones((512, 512), "float32")
    with threads.blas_threads_scope():
        threads.matmul(big, big)
        thread, errors = in_other_thread(computing, holding, release)
        assert threads._computing_threads == 2
        threads.matmul(big, big)
        release.set()
        thread.join()
        assert threads._computing_threads == 1
    assert threads._computing_threads == 0 and not errors
    lifted, not_lifted = gemm_thread_log
    assert lifted is not None and max(lifted) > 1 and not_lifted is not None and max(not_lifted) == 1


def test_automatic_names_stay_unique_across_threads():
    names = []
    workers = [threading.Thread(target=lambda: names.extend(uniquify("probe") for _ in range(200))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(set(names)) == 800
