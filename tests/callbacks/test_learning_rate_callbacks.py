"""LearningRateScheduler and ReduceLROnPlateau change the optimizer's rate and log it."""

import pytest

import npkeras
from npkeras.callbacks import LearningRateScheduler, ReduceLROnPlateau


def test_scheduler_sets_the_rate_each_epoch(small_fit):
    scheduler = LearningRateScheduler(lambda epoch, lr: 0.1 * 0.5**epoch)
    _, history, _ = small_fit([scheduler], epochs=3, optimizer=npkeras.optimizers.SGD(1.0))
    seen = history.history["learning_rate"]
    assert seen == pytest.approx([0.1, 0.05, 0.025], rel=1e-6)


def test_scheduler_of_the_epoch_alone_and_bad_output(small_fit):
    _, history, _ = small_fit([LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))], epochs=2)
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.02], rel=1e-6)
    with pytest.raises(ValueError, match='output of the "schedule" function should be a float'):
        small_fit([LearningRateScheduler(lambda epoch, lr: "fast")], epochs=1)


def test_reduce_on_plateau_on_a_known_sequence():
    class Fake:
        optimizer = npkeras.optimizers.SGD(1.0)

    reduce = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, cooldown=1, min_lr=0.2)
    reduce.set_model(Fake())
    reduce.on_train_begin()
    rates = []
    for epoch, loss in enumerate([1.0, 1.0, 1.0, 1.0, 1.0, 1.0]):
        logs = {"val_loss": loss}
        reduce.on_epoch_end(epoch, logs)
        rates.append(float(Fake.optimizer._learning_rate.data))
    # as Keras: the cooldown ends before this epoch's check, so with patience 1 it never delays; min_lr holds
    assert rates == pytest.approx([1.0, 0.5, 0.25, 0.2, 0.2, 0.2])


def test_reduce_on_plateau_refuses_a_factor_of_one():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0"):
        ReduceLROnPlateau(factor=1.0)
