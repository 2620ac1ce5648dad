"""Callback and CallbackList: hook dispatch, model/params wiring, Keras's logs conventions."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.callbacks import Callback, CallbackList


def _model():
    model = npkeras.Sequential([npkeras.Input((2,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(n=12):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 2)).astype("float32"), rng.integers(0, 2, n)


class _Log(Callback):
    def __init__(self, tag, journal):
        super().__init__()
        self.tag, self.journal = tag, journal

    def on_epoch_begin(self, epoch, logs=None):
        self.journal.append((self.tag, "epoch_begin", epoch))

    def on_train_batch_end(self, batch, logs=None):
        self.journal.append((self.tag, "batch_end", batch))


def test_base_callback_defaults():
    cb = Callback()
    assert cb.model is None
    assert cb.params == {}
    model = object()
    cb.set_model(model)
    cb.set_params({"epochs": 3})
    assert cb.model is model and cb.params == {"epochs": 3}
    for hook in (
        "on_train_begin",
        "on_train_end",
        "on_test_begin",
        "on_test_end",
        "on_predict_begin",
        "on_predict_end",
    ):
        assert getattr(cb, hook)() is None
    for hook in (
        "on_epoch_begin",
        "on_epoch_end",
        "on_train_batch_begin",
        "on_train_batch_end",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_predict_batch_begin",
        "on_predict_batch_end",
        "on_batch_begin",
        "on_batch_end",
    ):
        assert getattr(cb, hook)(0, {}) is None


def test_callback_list_wires_model_and_params():
    cbs = [Callback(), Callback()]
    model = object()
    callback_list = CallbackList(cbs, model=model, verbose=0, epochs=2, steps=5)
    assert callback_list.params == {"verbose": 0, "epochs": 2, "steps": 5}
    for cb in cbs:
        assert cb.model is model
        assert cb.params == {"verbose": 0, "epochs": 2, "steps": 5}


def test_callback_list_refuses_non_callbacks():
    with pytest.raises(TypeError, match="Callback"):
        CallbackList([Callback(), lambda logs: None])


def test_hooks_reach_callbacks_in_list_order():
    journal = []
    callback_list = CallbackList([_Log("a", journal), _Log("b", journal)])
    callback_list.on_epoch_begin(0)
    callback_list.on_train_batch_end(0, {"loss": 1.0})
    assert journal == [("a", "epoch_begin", 0), ("b", "epoch_begin", 0), ("a", "batch_end", 0), ("b", "batch_end", 0)]


def test_append_adds_a_callback():
    journal = []
    callback_list = CallbackList([_Log("a", journal)])
    callback_list.append(_Log("b", journal))
    callback_list.on_epoch_begin(4)
    assert journal == [("a", "epoch_begin", 4), ("b", "epoch_begin", 4)]
    assert callback_list.wants("on_epoch_begin")
    assert not callback_list.wants("on_test_end")


def test_wants_counts_the_legacy_batch_end_hook():
    class Legacy(Callback):
        def on_batch_end(self, batch, logs=None):
            pass

    assert CallbackList([Legacy()]).wants("on_train_batch_end")
    assert not CallbackList([Callback()]).wants("on_train_batch_end")


def test_legacy_batch_hooks_are_called_during_fit():
    seen = []

    class Legacy(Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, sorted(logs)))

    x, y = _data(12)
    _model().fit(x, y, batch_size=6, verbose=0, callbacks=[Legacy()])
    assert seen == [("begin", 0), ("end", 0, ["accuracy", "loss"]), ("begin", 1), ("end", 1, ["accuracy", "loss"])]


def test_callbacks_see_the_model_and_fit_params():
    got = {}

    class Peek(Callback):
        def on_train_begin(self, logs=None):
            got["model"] = self.model
            got["params"] = dict(self.params)

    x, y = _data(12)
    model = _model()
    model.fit(x, y, batch_size=5, epochs=2, verbose=0, callbacks=[Peek()])
    assert got["model"] is model
    assert got["params"] == {"verbose": 0, "epochs": 2, "steps": 3}


def test_a_callback_can_change_the_learning_rate_between_epochs():
    x, y = _data(12)
    model = _model()
    model.compile(optimizer=npkeras.optimizers.SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy")

    class Freeze(Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:
                self.model.optimizer.learning_rate = 0.0

        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.frozen = self.model.get_weights()

    freeze = Freeze()
    model.fit(x, y, epochs=3, verbose=0, callbacks=[freeze])
    for a, b in zip(freeze.frozen, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_every_hook_receives_a_logs_dict():
    # Keras's CallbackList passes `pythonify_logs(logs)`, i.e. {} when there is nothing to report,
    # so user callbacks may call logs.get(...) or logs.update(...) in any hook.
    kinds = {}

    class Types(Callback):
        def _note(self, hook, logs):
            kinds.setdefault(hook, set()).add(type(logs).__name__)

        def on_train_begin(self, logs=None):
            self._note("on_train_begin", logs)

        def on_epoch_begin(self, epoch, logs=None):
            self._note("on_epoch_begin", logs)

        def on_train_batch_begin(self, batch, logs=None):
            self._note("on_train_batch_begin", logs)

        def on_test_begin(self, logs=None):
            self._note("on_test_begin", logs)

        def on_test_batch_begin(self, batch, logs=None):
            self._note("on_test_batch_begin", logs)

        def on_predict_begin(self, logs=None):
            self._note("on_predict_begin", logs)

        def on_predict_batch_begin(self, batch, logs=None):
            self._note("on_predict_batch_begin", logs)

        def on_predict_end(self, logs=None):
            self._note("on_predict_end", logs)

    x, y = _data(12)
    model = _model()
    model.fit(x, y, batch_size=6, validation_split=0.5, verbose=0, callbacks=[Types()])
    model.predict(x, verbose=0, callbacks=[Types()])
    assert kinds == {hook: {"dict"} for hook in kinds}, kinds
    assert len(kinds) == 8


def test_a_single_callback_is_taken_as_a_list_of_one():
    seen = []
    model = npkeras.Sequential([npkeras.Input((2,)), npkeras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    callback = npkeras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0, callbacks=callback)
    assert seen == [0, 1]
