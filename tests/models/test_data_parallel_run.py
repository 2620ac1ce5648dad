"""Data parallelism over 2 processes (mpiexec -n 2, the mpi extra): the same training as one process on
the global batches, combined metrics, one writer, one stopping decision, and no hang when a process fails."""

import json
import os
import subprocess
import sys
import time

import data_parallel_scenarios as scenarios
import numpy as np
import pytest

import npkeras

SCRIPT = os.path.join(os.path.dirname(__file__), "data_parallel_script.py")


def run_two_processes(mpiexec, out, mode, timeout=120):
    started = time.monotonic()
    done = subprocess.run([mpiexec, "-n", "2", sys.executable, SCRIPT, str(out), mode], capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip
    return done, time.monotonic() - started


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory, mpiexec):
    out = tmp_path_factory.mktemp("data_parallel")
    done, _ = run_two_processes(mpiexec, out, "train")
    assert done.returncode == 0, done.stdout + done.stderr
    ranks = []
    for rank in range(2):
        with open(out / f"rank{rank}.json") as f:
            ranks.append((dict(np.load(out / f"rank{rank}.npz")), json.load(f)))
    return out, ranks


@pytest.mark.parametrize("name", list(scenarios.SCENARIOS))
def test_two_processes_train_as_one_does_on_the_global_batches(two_processes, name):
    """20 steps of SGD (or Adam with clipnorm) on an MLP, a CNN with synchronized batch norm and an LSTM."""
    _, ranks = two_processes
    alone, history = scenarios.trained(name)
    for arrays, facts in ranks:
        for i, expected in enumerate(alone.get_weights()):
            np.testing.assert_allclose(arrays[f"{name}/{i}"], expected, rtol=0, atol=1e-5)
        np.testing.assert_allclose(facts[name]["loss"], history.history["loss"], rtol=1e-6)
        assert facts[name]["accuracy"] == history.history["accuracy"]  # counts of right answers, exactly


def test_default_batch_norm_keeps_each_processs_own_statistics(two_processes):
    _, ranks = two_processes
    for rank, (arrays, _) in enumerate(ranks):  # momentum 0.99 from zeros, one step on the process's 4 samples
        shard = scenarios.FEATURES[4 * rank : 4 * rank + 4]
        np.testing.assert_allclose(arrays["own_batch_norm_moving_mean"], 0.01 * shard.mean(axis=0), rtol=1e-5)


def test_evaluate_and_predict_cover_every_sample_with_an_uneven_last_batch(two_processes):
    _, ranks = two_processes
    model, _ = scenarios.trained("mlp_sgd")
    x, y = scenarios.FEATURES[:37], scenarios.LABELS[:37]
    expected = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    predictions = model.predict(x, batch_size=8, verbose=0)
    for arrays, facts in ranks:
        assert facts["evaluate"]["accuracy"] == expected["accuracy"]
        np.testing.assert_allclose(facts["evaluate"]["loss"], expected["loss"], rtol=1e-6)
        assert arrays["predict"].shape == (37, 3)  # the whole result on every process
        np.testing.assert_allclose(arrays["predict"], predictions, atol=1e-6)


def test_a_global_batch_smaller_than_the_processes_trains_and_evaluates_as_one_process(two_processes):
    _, ranks = two_processes
    alone = scenarios.trained_on_a_last_batch_of_one()
    expected = alone.evaluate(scenarios.FEATURES[:33], scenarios.LABELS[:33], batch_size=8, verbose=0, return_dict=True)
    for arrays, facts in ranks:
        for i, weight in enumerate(alone.get_weights()):
            np.testing.assert_allclose(arrays[f"last_batch_of_one/{i}"], weight, atol=1e-6)
        assert facts["evaluate_last_batch_of_one"]["accuracy"] == expected["accuracy"]
        np.testing.assert_allclose(facts["evaluate_last_batch_of_one"]["loss"], expected["loss"], rtol=1e-6)


def test_only_process_0_writes_files(two_processes):
    out, _ = two_processes
    assert sorted(os.listdir(out / "rank0")) == ["checkpoint.keras", "log.csv", "model.keras"]
    assert os.listdir(out / "rank1") == []


def test_every_process_stops_together(two_processes):
    _, ranks = two_processes
    model, _ = scenarios.trained("mlp_sgd")
    model.fit(scenarios.FEATURES, scenarios.LABELS, batch_size=16, epochs=1, verbose=0)
    early = npkeras.callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=10.0)
    epochs_alone = len(model.fit(scenarios.FEATURES, scenarios.LABELS, batch_size=16, epochs=5, verbose=0,
                                 callbacks=[early]).history["loss"])  # fmt: skip
    for _, facts in ranks:  # process 1 alone set stop_training at its third step: both processes stopped there
        assert facts["stopped_after_steps"] == 20 + 10 + 3 and facts["stopped_epochs"] == 1
        assert facts["early_stopping_epochs"] == epochs_alone == 2
        assert facts["processes"] == 2 and facts["devices"] == ["cpu:0", "cpu:1"]


def test_cross_validation_deals_the_folds_among_processes_and_each_gets_every_result(two_processes):
    _, ranks = two_processes
    alone = scenarios.cross_validated()
    for _, facts in ranks:
        assert len(facts["cross_validation"]) == 3
        for fold, expected in zip(facts["cross_validation"], alone):
            assert fold["accuracy"] == expected["accuracy"]
            np.testing.assert_allclose(fold["loss"], expected["loss"], rtol=1e-6)


def test_a_process_that_fails_ends_every_process_with_its_error(tmp_path, mpiexec):
    done, seconds = run_two_processes(mpiexec, tmp_path, "raise", timeout=60)
    assert done.returncode != 0
    assert "RuntimeError: process 1 fails at batch 2" in done.stderr
    assert "process 1 of 2 failed; ending every process" in done.stderr
    assert seconds < 30


def test_processes_that_build_different_models_are_refused_at_the_start(tmp_path, mpiexec):
    done, _ = run_two_processes(mpiexec, tmp_path, "mismatch", timeout=60)
    assert done.returncode != 0
    assert "Process 1 of 2 does not train what process 0 trains" in done.stderr
    assert "'dense/kernel', [12, 4]" in done.stderr
