"""History: per-epoch lists, epochs, params, model.history."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.callbacks import History


def _model(metrics=("accuracy",)):
    model = npkeras.Sequential([npkeras.Input((2,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return model


def _data(n=20):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, 2)).astype("float32"), rng.integers(0, 2, n)


def test_history_collects_logs_per_epoch():
    history = History()
    history.set_model(type("M", (), {})())
    history.on_train_begin()
    history.on_epoch_end(0, {"accuracy": 0.5, "loss": 1.0})
    history.on_epoch_end(1, {"accuracy": 0.75, "loss": 0.5})
    assert history.epoch == [0, 1]
    assert history.history == {"accuracy": [0.5, 0.75], "loss": [1.0, 0.5]}
    assert history.model.history is history


def test_history_keeps_first_seen_key_order():
    history = History()
    history.set_model(type("M", (), {})())
    history.on_epoch_end(0, {"loss": 1.0, "accuracy": 0.5, "val_loss": 2.0})
    assert list(history.history) == ["loss", "accuracy", "val_loss"]


def test_on_train_begin_resets_the_epoch_list():
    history = History()
    history.set_model(type("M", (), {})())
    history.on_epoch_end(0, {"loss": 1.0})
    history.on_train_begin()
    assert history.epoch == []


def test_fit_returns_a_history_with_sorted_keys_and_params():
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.2, verbose=0)
    assert isinstance(history, History)
    assert model.history is history
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert {k: len(v) for k, v in history.history.items()} == dict.fromkeys(history.history, 3)
    assert history.epoch == [0, 1, 2]
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 2}


def test_history_params_keep_verbose_as_passed(capsys):
    # keras_facts.md section 4: `'auto'` stays as is in history.params.
    x, y = _data()
    model = _model()
    assert model.fit(x, y, epochs=1, verbose=2).params["verbose"] == 2
    assert model.fit(x, y, epochs=1, verbose=1).params["verbose"] == 1
    assert model.fit(x, y, epochs=1).params == {"verbose": "auto", "epochs": 1, "steps": 1}
    capsys.readouterr()


def test_each_fit_gets_a_fresh_history():
    x, y = _data()
    model = _model(metrics=())
    first = model.fit(x, y, epochs=2, verbose=0)
    second = model.fit(x, y, epochs=1, verbose=0)
    assert first is not second
    assert len(first.history["loss"]) == 2
    assert len(second.history["loss"]) == 1
    assert model.history is second


def test_history_values_match_the_evaluated_values_when_nothing_changes():
    x, y = _data()
    model = npkeras.Sequential([npkeras.Input((2,)), layers.Dense(2, activation="softmax")])
    model.compile(
        optimizer=npkeras.optimizers.SGD(learning_rate=0.0),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=2, batch_size=6, verbose=0)
    expected = model.evaluate(x, y, verbose=0, return_dict=True)
    assert history.history["loss"] == pytest.approx([expected["loss"]] * 2, rel=1e-5)
    assert history.history["accuracy"] == pytest.approx([expected["accuracy"]] * 2)
