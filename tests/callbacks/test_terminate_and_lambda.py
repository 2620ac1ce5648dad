"""TerminateOnNaN stops at the first non-finite loss; LambdaCallback runs the functions it is given."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.callbacks import LambdaCallback, TerminateOnNaN


def test_terminate_on_nan_stops_at_the_first_bad_batch(capsys):
    model = npkeras.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer=npkeras.optimizers.SGD(1e6), loss="mse")
    x, y = np.full((64, 2), 1e3, np.float32), np.zeros((64, 1), np.float32)
    batches = []
    spy = LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(logs["loss"]))
    history = model.fit(x, y, epochs=5, batch_size=4, verbose=0, callbacks=[spy, TerminateOnNaN()])
    assert not np.isfinite(batches[-1]) and all(np.isfinite(batches[:-1]))
    assert len(history.history["loss"]) == 1
    assert f"Batch {len(batches) - 1}: Invalid loss, terminating training" in capsys.readouterr().out


def test_lambda_callback_hooks_run_in_order(small_fit):
    events = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: events.append("begin"),
        on_epoch_end=lambda epoch, logs: events.append(f"epoch {epoch} {sorted(logs)[0]}"),
        on_train_end=lambda logs: events.append("end"),
    )
    small_fit([callback], epochs=2)
    assert events == ["begin", "epoch 0 accuracy", "epoch 1 accuracy", "end"]


def test_lambda_callback_refuses_unknown_hooks():
    with pytest.raises(ValueError, match="unknown hooks \\['on_lunch'\\]"):
        LambdaCallback(on_lunch=print)
