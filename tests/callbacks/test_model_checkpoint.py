"""ModelCheckpoint: templated names, save_best_only, weights only, and a failed write keeps the old file."""

import zipfile

import numpy as np
import pytest

import npkeras
from npkeras.callbacks import ModelCheckpoint


def test_templated_names_one_file_per_epoch(small_fit, tmp_path):
    template = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.weights.npz")
    model, history, weights = small_fit([ModelCheckpoint(template, save_weights_only=True)], epochs=3)
    names = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted(f"ckpt-{e + 1:02d}-{v:.2f}.weights.npz" for e, v in enumerate(history.history["val_loss"]))
    assert names == expected
    model.load_weights(tmp_path / expected[0])
    for a, b in zip(model.get_weights(), weights[0]):
        np.testing.assert_array_equal(a, b)


def test_save_best_only_keeps_the_best_epoch(small_fit, tmp_path):
    path = tmp_path / "best.keras"
    _, history, weights = small_fit([ModelCheckpoint(path, monitor="val_loss", save_best_only=True)], epochs=6)
    best = int(np.argmin(history.history["val_loss"]))
    saved = npkeras.models.load_model(path)
    for a, b in zip(saved.get_weights(), weights[best]):
        np.testing.assert_array_equal(a, b)


def test_a_failed_write_leaves_the_previous_checkpoint_readable(small_fit, tmp_path, monkeypatch):
    path = tmp_path / "last.keras"
    calls = []
    real_writestr = zipfile.ZipFile.writestr

    def failing_on_the_second_save(self, name, data, *args, **kwargs):
        if name == "model.weights.h5" or name == "model.weights.npz":
            calls.append(name)
            if len(calls) == 2:
                raise OSError("disk full (simulated)")
        return real_writestr(self, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_on_the_second_save)
    recorded = []
    with pytest.raises(OSError, match="disk full"):
        small_fit([npkeras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: recorded.append(e)),
                   ModelCheckpoint(path)], epochs=3)  # fmt: skip
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.keras"]
    assert int(npkeras.models.load_model(path).optimizer.iterations.data) == 4  # the first epoch's 4 steps


def test_bad_checkpoint_names():
    with pytest.raises(ValueError, match="must end in `.keras`"):
        ModelCheckpoint("model.h5")
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        ModelCheckpoint("model.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="save_freq"):
        ModelCheckpoint("m.keras", save_freq="sometimes")


def test_save_freq_in_batches(small_fit, tmp_path):
    small_fit([ModelCheckpoint(str(tmp_path / "b{epoch}-{batch}.keras"), save_freq=3)], epochs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b1-3.keras", "b2-2.keras"]  # 8 batches in all


def _constant_model():
    model = npkeras.Sequential([npkeras.Input((1,)), npkeras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=npkeras.optimizers.SGD(0.0), loss="mse")  # predicts 0 for targets 1: loss 1 each epoch
    return model


def test_verbose_messages_are_keras_3s(tmp_path, capsys):
    path = str(tmp_path / "m_{epoch}.keras")
    checkpoint = ModelCheckpoint(path, monitor="loss", save_best_only=True, verbose=1)
    _constant_model().fit(np.zeros((4, 1)), np.ones((4, 1)), epochs=2, verbose=0, callbacks=[checkpoint])
    first = path.format(epoch=1)
    assert capsys.readouterr().out == (
        f"\nEpoch 1: loss improved from None to 1.00000, saving model to {first}\n"
        f"\nEpoch 1: finished saving model to {first}\n"
        "\nEpoch 2: loss did not improve from 1.00000\n"
    )


def test_save_best_only_without_the_monitored_value_warns_and_saves(tmp_path):
    checkpoint = ModelCheckpoint(tmp_path / "m.keras", monitor="val_loss", save_best_only=True)
    with pytest.warns(UserWarning, match="^Can save best model only with val_loss available.$"):
        _constant_model().fit(np.zeros((4, 1)), np.ones((4, 1)), verbose=0, callbacks=[checkpoint])
    assert (tmp_path / "m.keras").exists()
