"""EarlyStopping: stops after `patience` epochs without improvement, restores the best epoch's weights."""

import numpy as np
import pytest

import npkeras
from npkeras.callbacks import EarlyStopping


def test_restore_best_weights_restores_exactly_the_best_epoch(small_fit):
    stop = EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True, mode="max")
    model, history, weights = small_fit([stop], epochs=40, optimizer=npkeras.optimizers.SGD(0.5))
    accuracies = history.history["val_accuracy"]
    best = int(np.argmax(accuracies))  # the first of the best, as `>` keeps the earliest
    assert stop.best_epoch == best and stop.stopped_epoch == len(accuracies) - 1
    assert len(accuracies) - 1 - best == 2  # stopped after exactly `patience` epochs without improvement
    for restored, saved in zip(model.get_weights(), weights[best]):
        np.testing.assert_array_equal(restored, saved)


def test_patience_and_min_delta_on_a_known_sequence():
    class Fake:
        stop_training = False

        def get_weights(self):
            return []

    stop = EarlyStopping(monitor="loss", patience=2, min_delta=0.1)
    stop.set_model(Fake())
    stop.on_train_begin()
    for epoch, loss in enumerate([1.0, 0.8, 0.75, 0.72, 0.5]):
        stop.on_epoch_end(epoch, {"loss": loss})
        if stop.model.stop_training:
            break
    assert epoch == 3 and stop.best == 0.8  # 0.75 and 0.72 improve by less than min_delta


@pytest.mark.parametrize(("baseline", "stopped"), [(0.5, 3), (None, 0)])
def test_start_from_epoch_and_baseline(baseline, stopped):
    """Epochs 0-1 are not watched; with a baseline the improvement at epoch 2 does not reset the wait."""

    class Fake:
        stop_training = False

    stop = EarlyStopping(monitor="val_loss", patience=2, baseline=baseline, start_from_epoch=2)
    stop.set_model(Fake())
    stop.on_train_begin()
    for epoch, loss in enumerate([0.1, 0.1, 0.8, 0.8]):
        stop.on_epoch_end(epoch, {"val_loss": loss})
    assert stop.stopped_epoch == stopped and stop.model.stop_training == bool(stopped)


def test_a_monitor_that_is_not_logged_warns(small_fit):
    with pytest.warns(UserWarning, match="conditioned on metric `val_nope` which is not available"):
        small_fit([EarlyStopping(monitor="val_nope", mode="min")], epochs=1)


def test_auto_mode_cannot_guess_an_unknown_metric(small_fit):
    with pytest.raises(ValueError, match="Pass `mode='max'`"):
        small_fit([EarlyStopping(monitor="val_my_score")], epochs=1)
