"""compile / fit / evaluate / predict / *_on_batch on small synthetic problems."""

import math
import warnings

import numpy as np
import pytest

import npkeras
from npkeras import layers, optimizers


def _blobs(n=200, seed=0):
    """Two well separated Gaussian blobs in 2-D, classes 0 and 1 interleaved."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    centers = np.where(y[:, None] == 1, 2.0, -2.0)
    x = (rng.normal(size=(n, 2)) + centers).astype("float32")
    order = rng.permutation(n)
    return x[order], y[order]


def _classifier(hidden=8, dropout=None):
    stack = [npkeras.Input((2,)), layers.Dense(hidden, activation="relu")]
    if dropout:
        stack.append(layers.Dropout(dropout))
    stack.append(layers.Dense(2, activation="softmax"))
    return npkeras.Sequential(stack)


def _frozen(model, loss="sparse_categorical_crossentropy", metrics=("accuracy",)):
    """Compile with a zero learning rate so that fit never changes the weights."""
    model.compile(optimizer=optimizers.SGD(learning_rate=0.0), loss=loss, metrics=list(metrics))
    return model


def _sparse_ce(model, x, y):
    probs = model.predict(x, verbose=0).astype("float64")
    return -np.log(probs[np.arange(len(y)), y])


# ---- learning ----------------------------------------------------------------------
def test_fit_separates_two_blobs():
    x, y = _blobs()
    model = _classifier()
    model.compile(
        optimizer=optimizers.Adam(learning_rate=0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.95
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, acc = model.evaluate(x, y, verbose=0)
    assert acc > 0.95
    assert loss < 0.2
    predicted = model.predict(x, verbose=0).argmax(axis=1)
    assert np.mean(predicted == y) > 0.95


def test_fit_with_one_hot_labels_and_categorical_crossentropy():
    x, y = _blobs()
    model = _classifier()
    model.compile(optimizer=optimizers.Adam(learning_rate=0.05), loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, npkeras.utils.to_categorical(y, 2), epochs=8, verbose=0)
    assert history.history["accuracy"][-1] > 0.95


# ---- History -----------------------------------------------------------------------
def test_history_keys_sorted_like_keras_with_one_entry_per_epoch():
    x, y = _blobs()
    model = _classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=0)
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(v) == 3 for v in history.history.values())
    assert all(isinstance(v, float) for vs in history.history.values() for v in vs)
    assert history.epoch == [0, 1, 2]
    assert history.params == {"verbose": 0, "epochs": 3, "steps": math.ceil(160 / 32)}
    assert model.history is history


def test_history_keys_for_several_metrics():
    rng = np.random.default_rng(0)
    x = rng.random((40, 3)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 1.5).astype("float32")
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae", "mse", "acc"])
    history = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    assert list(history.history) == ["acc", "loss", "mae", "mse", "val_acc", "val_loss", "val_mae", "val_mse"]
    result = model.evaluate(x, y, verbose=0)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(as_dict) == ["acc", "loss", "mae", "mse"]
    assert result == [as_dict["loss"], as_dict["mae"], as_dict["mse"], as_dict["acc"]]


def test_validation_freq_validates_every_nth_epoch():
    x, y = _blobs(64)
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=4, validation_split=0.25, validation_freq=2, verbose=0)
    assert len(history.history["loss"]) == 4
    assert len(history.history["val_loss"]) == 2


# ---- validation ------------------------------------------------------------------------
def test_validation_split_takes_the_last_fraction_before_shuffling():
    x, y = _blobs(100)
    y = y.copy()
    y[75:] = 1 - y[75:]  # the last quarter is labelled wrongly, so its loss stands out
    model = _frozen(_classifier())
    history = model.fit(x, y, validation_split=0.25, epochs=2, batch_size=10, shuffle=True, verbose=0)
    assert history.params["steps"] == math.ceil(75 / 10)
    train = model.evaluate(x[:75], y[:75], verbose=0, return_dict=True)
    val = model.evaluate(x[75:], y[75:], verbose=0, return_dict=True)
    assert abs(train["loss"] - val["loss"]) > 0.1  # the check below can tell the slices apart
    for epoch in range(2):
        assert history.history["val_loss"][epoch] == pytest.approx(val["loss"], rel=1e-6)
        assert history.history["val_accuracy"][epoch] == pytest.approx(val["accuracy"], rel=1e-6)
        assert history.history["loss"][epoch] == pytest.approx(train["loss"], rel=1e-5)
        assert history.history["accuracy"][epoch] == pytest.approx(train["accuracy"], rel=1e-6)


def test_validation_split_counts_samples_with_floor():
    x, y = _blobs(10)
    model = _frozen(_classifier())
    seen = []

    class Count(npkeras.callbacks.Callback):
        def on_test_batch_begin(self, batch, logs=None):
            seen.append(batch)

    history = model.fit(x, y, validation_split=0.35, batch_size=2, verbose=0, callbacks=[Count()])
    # split_at = floor(10 * 0.65) = 6: 3 training steps of 2, and 4 validation samples in 2 batches
    assert history.params["steps"] == 3
    assert seen == [0, 1]


def test_validation_split_too_small_raises_keras_message():
    model = _frozen(_classifier())
    with pytest.raises(ValueError) as info:
        model.fit(np.zeros((1, 2), "float32"), np.zeros(1, "int64"), validation_split=0.5, verbose=0)
    assert str(info.value) == (
        "Training data contains 1 samples, which is not sufficient to split it into a validation and training "
        "set as specified by `validation_split=0.5`. Either provide more data, or a different value for the "
        "`validation_split` argument."
    )


def test_validation_data_tuple():
    x, y = _blobs(80)
    xv, yv = _blobs(30, seed=5)
    model = _frozen(_classifier())
    history = model.fit(x, y, validation_data=(xv, yv), epochs=2, batch_size=16, verbose=0)
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.params["steps"] == 5  # all 80 samples train: no split
    expected = model.evaluate(xv, yv, verbose=0, return_dict=True)
    assert history.history["val_loss"] == pytest.approx([expected["loss"]] * 2, rel=1e-6)


def test_validation_data_with_sample_weights():
    x, y = _blobs(40)
    xv, yv = _blobs(20, seed=3)
    weights = np.where(np.arange(20) < 10, 1.0, 0.0).astype("float32")
    model = _frozen(_classifier(), metrics=())
    history = model.fit(x, y, validation_data=(xv, yv, weights), verbose=0)
    per_sample = _sparse_ce(model, xv, yv)
    assert history.history["val_loss"][0] == pytest.approx(per_sample[:10].sum() / 20, rel=1e-5)


def test_validation_data_of_wrong_form_raises():
    x, y = _blobs(20)
    model = _frozen(_classifier())
    with pytest.raises(ValueError, match="validation_data"):
        model.fit(x, y, validation_data=x, verbose=0)


# ---- epochs, shuffling and seeds --------------------------------------------------------
def test_initial_epoch():
    x, y = _blobs(40)
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    seen = []

    class Epochs(npkeras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append(epoch)

    history = model.fit(x, y, epochs=4, initial_epoch=2, verbose=0, callbacks=[Epochs()])
    assert seen == [2, 3]
    assert history.epoch == [2, 3]
    assert len(history.history["loss"]) == 2
    assert history.params["epochs"] == 4


def _weights_after_fitting_under_two_seeds(shuffle):
    """Final weights of the same model fit twice from the same start, under random seeds 1 and 2."""
    x, y = _blobs(64)
    start = _classifier().get_weights()
    results = []
    for seed in (1, 2):
        npkeras.utils.set_random_seed(seed)
        model = _classifier()
        model.set_weights(start)
        model.compile(optimizer=optimizers.SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy")
        model.fit(x, y, epochs=2, batch_size=8, shuffle=shuffle, verbose=0)
        results.append(model.get_weights())
    return results


def test_shuffle_false_is_deterministic_whatever_the_random_state():
    for a, b in zip(*_weights_after_fitting_under_two_seeds(shuffle=False)):
        np.testing.assert_array_equal(a, b)


def test_shuffle_true_uses_the_random_state():
    results = _weights_after_fitting_under_two_seeds(shuffle=True)
    assert not all(np.array_equal(a, b) for a, b in zip(*results))


def _seeded_run(seed):
    npkeras.clear_session()
    npkeras.utils.set_random_seed(seed)
    x, y = _blobs(96)
    model = _classifier(hidden=16, dropout=0.25)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=True, verbose=0)
    return model.get_weights(), history.history


def test_same_seed_gives_bit_identical_training():
    weights_a, history_a = _seeded_run(7)
    weights_b, history_b = _seeded_run(7)
    for a, b in zip(weights_a, weights_b):
        np.testing.assert_array_equal(a, b)
    assert history_a == history_b
    weights_c, _ = _seeded_run(8)
    assert not all(np.array_equal(a, c) for a, c in zip(weights_a, weights_c))


# ---- evaluate ----------------------------------------------------------------------
def test_evaluate_without_metrics_returns_a_scalar():
    x, y = _blobs(40)
    model = _classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    result = model.evaluate(x, y, verbose=0)
    assert isinstance(result, float)
    assert model.evaluate(x, y, verbose=0, return_dict=True) == {"loss": result}


def test_evaluate_with_metrics_returns_loss_then_metrics_in_compile_order():
    x, y = _blobs(40)
    model = _classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    result = model.evaluate(x, y, verbose=0)
    assert isinstance(result, list) and len(result) == 2
    loss, acc = result
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(as_dict) == ["accuracy", "loss"]
    assert as_dict == {"accuracy": acc, "loss": loss}


def test_a_compile_without_loss_or_metrics_keeps_those_of_the_earlier_compile():
    """Keras 3 replaces only what compile() is given: predicting 0 for targets 2, mse 4 and mae 2 stay."""
    model = npkeras.Sequential([npkeras.Input((1,)), layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.compile(optimizer="sgd")
    assert model.loss == "mse" and isinstance(model.optimizer, optimizers.SGD)
    x, y = np.zeros((4, 1)), np.full((4, 1), 2.0)
    assert model.evaluate(x, y, verbose=0, return_dict=True) == {"loss": 4.0, "mae": 2.0}
    model.compile(optimizer="sgd", loss="mae")
    assert model.evaluate(x, y, verbose=0, return_dict=True) == {"loss": 2.0, "mae": 2.0}


def test_metric_values_are_logged_at_float32_precision_as_keras_keeps_them():
    """789 right of 1000 logs 0.7889999747276306 in Keras (its metrics are float32 variables), not 0.789."""
    model = npkeras.Sequential([npkeras.Input((1,)), layers.Dense(2, kernel_initializer="zeros")])
    model.layers[0].bias.assign(np.array([1.0, 0.0], dtype="float32"))  # every prediction is class 0
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    labels = np.repeat([0, 1], [789, 211])
    logs = model.evaluate(np.zeros((1000, 1)), labels, verbose=0, return_dict=True)
    assert logs["accuracy"] == float(np.float32(0.789)) == 0.7889999747276306
    history = model.fit(np.zeros((1000, 1)), labels, epochs=1, verbose=0, shuffle=False)
    assert history.history["accuracy"] == [0.7889999747276306]


@pytest.mark.parametrize("metrics", [["mse", "mae"], ["mae", "mse"]])
def test_evaluate_list_follows_compile_order_and_dict_is_sorted(metrics):
    rng = np.random.default_rng(1)
    x = rng.random((30, 3)).astype("float32")
    y = rng.random((30, 2)).astype("float32")
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="huber", metrics=metrics)
    result = model.evaluate(x, y, verbose=0)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(as_dict) == ["loss", "mae", "mse"]
    assert result == [as_dict["loss"]] + [as_dict[m] for m in metrics]
    pred = model.predict(x, verbose=0).astype("float64")
    assert as_dict["mse"] == pytest.approx(np.mean((pred - y) ** 2), rel=1e-5)
    assert as_dict["mae"] == pytest.approx(np.mean(np.abs(pred - y)), rel=1e-5)


def test_evaluate_loss_is_the_mean_over_the_set_with_a_partial_last_batch():
    x, y = _blobs(50)
    model = _classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.evaluate(x, y, batch_size=16, verbose=0)  # batches of 16, 16, 16, 2
    assert loss == pytest.approx(_sparse_ce(model, x, y).mean(), rel=1e-5)
    assert acc == pytest.approx(np.mean(model.predict(x, verbose=0).argmax(1) == y))


def test_evaluate_mse_loss_is_batch_size_weighted():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(23, 4)).astype("float32")
    y = rng.normal(size=(23, 1)).astype("float32")
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    pred = model.predict(x, verbose=0).astype("float64")
    expected = np.mean((pred - y) ** 2)
    for batch_size in (1, 5, 10, 23, 64):
        assert model.evaluate(x, y, batch_size=batch_size, verbose=0) == pytest.approx(expected, rel=1e-5)


# ---- *_on_batch ----------------------------------------------------------------------
def test_train_on_batch_reports_loss_before_the_update_and_learns():
    x, y = _blobs(64)
    model = _classifier()
    model.compile(optimizer=optimizers.Adam(learning_rate=0.05), loss="sparse_categorical_crossentropy")
    before = model.test_on_batch(x, y)
    assert isinstance(before, float)
    first = model.train_on_batch(x, y)
    assert first == pytest.approx(before, rel=1e-6)
    for _ in range(30):
        model.train_on_batch(x, y)
    assert model.test_on_batch(x, y) < 0.5 * before


def test_on_batch_methods_with_metrics():
    x, y = _blobs(32)
    model = _classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    result = model.train_on_batch(x, y)
    assert isinstance(result, list) and len(result) == 2
    logs = model.test_on_batch(x, y, return_dict=True)
    assert list(logs) == ["accuracy", "loss"]
    assert logs["loss"] == pytest.approx(_sparse_ce(model, x, y).mean(), rel=1e-5)
    assert model.train_on_batch(x, y, return_dict=True).keys() == {"accuracy", "loss"}


def test_predict_on_batch_returns_ndarray_equal_to_predict():
    x, _ = _blobs(20)
    model = _classifier()
    out = model.predict_on_batch(x)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, model.predict(x, verbose=0))


# ---- sample and class weights -----------------------------------------------------------
def test_sample_weight_scales_the_evaluated_loss():
    x, y = _blobs(30)
    model = _frozen(_classifier(), metrics=())
    plain = model.evaluate(x, y, verbose=0)
    doubled = model.evaluate(x, y, sample_weight=np.full(30, 2.0, "float32"), verbose=0)
    assert doubled == pytest.approx(2 * plain, rel=1e-5)


def test_zero_sample_weights_drop_samples_from_the_sum_but_not_the_count():
    x, y = _blobs(30)
    model = _frozen(_classifier(), metrics=())
    weights = (np.arange(30) < 12).astype("float32")
    per_sample = _sparse_ce(model, x, y)
    expected = per_sample[:12].sum() / 30  # Keras's sum_over_batch_size reduction
    assert model.evaluate(x, y, sample_weight=weights, batch_size=7, verbose=0) == pytest.approx(expected, rel=1e-5)
    history = model.fit(x, y, sample_weight=weights, batch_size=30, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_class_weight_weights_each_sample_by_its_class():
    x, y = _blobs(40)
    model = _frozen(_classifier(), metrics=())
    per_sample = _sparse_ce(model, x, y)
    class_weight = {0: 1.0, 1: 3.0}
    expected = np.mean(per_sample * np.where(y == 1, 3.0, 1.0))
    history = model.fit(x, y, class_weight=class_weight, batch_size=40, verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)
    assert model.train_on_batch(x, y, class_weight=class_weight) == pytest.approx(expected, rel=1e-5)
    unweighted = model.evaluate(x, y, verbose=0)
    assert unweighted == pytest.approx(per_sample.mean(), rel=1e-5)
    assert abs(unweighted - expected) > 1e-3


def test_class_weight_with_one_hot_labels():
    x, y = _blobs(40)
    model = _frozen(_classifier(), loss="categorical_crossentropy", metrics=())
    per_sample = _sparse_ce(model, x, y)
    history = model.fit(x, npkeras.utils.to_categorical(y, 2), class_weight={0: 0.0, 1: 1.0}, batch_size=40, verbose=0)
    assert history.history["loss"][0] == pytest.approx(per_sample[y == 1].sum() / 40, rel=1e-5)


def test_class_weight_may_name_classes_missing_from_the_batch():
    # Keras looks each label up in class_weight (default 1.0); other keys are simply unused.
    x, y = _blobs(40)
    model = _frozen(_classifier(hidden=4), metrics=())
    model.pop()
    model.add(layers.Dense(3, activation="softmax"))
    only_zero_and_one = model.train_on_batch(x, y, class_weight={0: 1.0, 1: 1.0, 2: 5.0})
    assert only_zero_and_one == pytest.approx(model.test_on_batch(x, y), rel=1e-6)


# ---- callbacks -------------------------------------------------------------------------
class _Recorder(npkeras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("on_train_begin",))

    def on_train_end(self, logs=None):
        self.calls.append(("on_train_end", sorted(logs)))

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("on_epoch_begin", epoch))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("on_epoch_end", epoch, sorted(logs)))

    def on_train_batch_begin(self, batch, logs=None):
        self.calls.append(("on_train_batch_begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("on_train_batch_end", batch, sorted(logs)))

    def on_test_begin(self, logs=None):
        self.calls.append(("on_test_begin",))

    def on_test_end(self, logs=None):
        self.calls.append(("on_test_end", sorted(logs)))

    def on_test_batch_begin(self, batch, logs=None):
        self.calls.append(("on_test_batch_begin", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.calls.append(("on_test_batch_end", batch, sorted(logs)))

    def on_predict_begin(self, logs=None):
        self.calls.append(("on_predict_begin",))

    def on_predict_end(self, logs=None):
        self.calls.append(("on_predict_end",))

    def on_predict_batch_begin(self, batch, logs=None):
        self.calls.append(("on_predict_batch_begin", batch))

    def on_predict_batch_end(self, batch, logs=None):
        self.calls.append(("on_predict_batch_end", batch))


def test_fit_calls_every_hook_in_keras_order():
    x, y = _blobs(10)
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    recorder = _Recorder()
    model.fit(x, y, batch_size=4, epochs=2, validation_split=0.2, verbose=0, callbacks=[recorder])
    keys, all_keys = ["accuracy", "loss"], ["accuracy", "loss", "val_accuracy", "val_loss"]
    epoch = []
    for e in range(2):
        epoch += [
            ("on_epoch_begin", e),
            ("on_train_batch_begin", 0),
            ("on_train_batch_end", 0, keys),
            ("on_train_batch_begin", 1),
            ("on_train_batch_end", 1, keys),
            ("on_test_begin",),
            ("on_test_batch_begin", 0),
            ("on_test_batch_end", 0, keys),
            ("on_test_end", keys),
            ("on_epoch_end", e, all_keys),
        ]
    assert recorder.calls == [("on_train_begin",)] + epoch + [("on_train_end", all_keys)]
    assert recorder.model is model
    assert recorder.params == {"verbose": 0, "epochs": 2, "steps": 2}


def test_evaluate_and_predict_call_their_hooks():
    x, y = _blobs(10)
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    recorder = _Recorder()
    model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[recorder])
    assert recorder.calls == [
        ("on_test_begin",),
        ("on_test_batch_begin", 0),
        ("on_test_batch_end", 0, ["accuracy", "loss"]),
        ("on_test_batch_begin", 1),
        ("on_test_batch_end", 1, ["accuracy", "loss"]),
        ("on_test_end", ["accuracy", "loss"]),
    ]
    recorder = _Recorder()
    model.predict(x, batch_size=8, verbose=0, callbacks=[recorder])
    assert recorder.calls == [
        ("on_predict_begin",),
        ("on_predict_batch_begin", 0),
        ("on_predict_batch_end", 0),
        ("on_predict_batch_begin", 1),
        ("on_predict_batch_end", 1),
        ("on_predict_end",),
    ]


def test_batch_logs_are_running_epoch_averages():
    x, y = _blobs(12)
    model = _frozen(_classifier(), metrics=())
    per_sample = _sparse_ce(model, x, y)
    logged = []

    class Logs(npkeras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            logged.append(logs["loss"])

    model.fit(x, y, batch_size=5, shuffle=False, verbose=0, callbacks=[Logs()])
    assert logged == pytest.approx([per_sample[:5].mean(), per_sample[:10].mean(), per_sample.mean()], rel=1e-5)


def test_stop_training_after_a_batch_stops_at_once():
    x, y = _blobs(10)
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class Stop(npkeras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    recorder = _Recorder()
    history = model.fit(x, y, batch_size=2, epochs=3, verbose=0, callbacks=[Stop(), recorder])
    assert history.epoch == [0]
    names = [c[0] for c in recorder.calls]
    assert names.count("on_train_batch_end") == 2
    assert names[-2:] == ["on_epoch_end", "on_train_end"]
    assert len(history.history["loss"]) == 1


def test_stop_training_at_epoch_end_stops_after_that_epoch():
    x, y = _blobs(10)
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")

    class Stop(npkeras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    history = model.fit(x, y, epochs=5, verbose=0, callbacks=[Stop()])
    assert history.epoch == [0, 1]
    again = model.fit(x, y, epochs=2, verbose=0)  # a new fit starts with the flag cleared
    assert again.epoch == [0, 1]


# ---- errors ----------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_using_the_model_before_compile_raises(method):
    x, y = _blobs(8)
    model = _classifier()
    with pytest.raises(ValueError) as info:
        getattr(model, method)(x, y)
    assert str(info.value).startswith("You must call `compile()` before using the model.")


def test_predict_does_not_need_compile():
    x, _ = _blobs(8)
    assert _classifier().predict(x, verbose=0).shape == (8, 2)


def test_compile_without_loss_raises_at_fit():
    x, y = _blobs(8)
    model = _classifier()
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError) as info:
        model.fit(x, y, verbose=0)
    assert str(info.value).startswith("No loss to compute. Provide a `loss` argument in `compile()`.")


def test_x_and_y_lengths_differ():
    model = _frozen(_classifier())
    with pytest.raises(ValueError) as info:
        model.fit(np.zeros((10, 2), "float32"), np.zeros(9, "int64"), verbose=0)
    assert str(info.value) == (
        "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples."
        "'x' sizes: 10\n'y' sizes: 9\n"
    )
    with pytest.raises(ValueError, match="^Data cardinality is ambiguous"):
        model.evaluate(np.zeros((10, 2), "float32"), np.zeros(11, "int64"), verbose=0)


def test_sample_weight_length_differs():
    model = _frozen(_classifier())
    with pytest.raises(ValueError, match="^Data cardinality is ambiguous"):
        model.fit(np.zeros((10, 2), "float32"), np.zeros(10, "int64"), sample_weight=np.ones(4), verbose=0)


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_string_inputs_raise_a_clear_error(method):
    model = _frozen(_classifier())
    x = np.array([["a", "b"]] * 4)
    y = np.zeros(4, "int64")
    with pytest.raises(ValueError, match="numeric"):
        if method == "predict":
            model.predict(x, verbose=0)
        else:
            getattr(model, method)(x, y, verbose=0)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_x_raises(bad):
    model = _frozen(_classifier())
    x = np.zeros((6, 2), "float32")
    x[3, 1] = bad
    with pytest.raises(ValueError, match="NaN"):
        model.fit(x, np.zeros(6, "int64"), verbose=0)


def test_unknown_optimizer_name_lists_valid_ones():
    model = _classifier()
    with pytest.raises(ValueError) as info:
        model.compile(optimizer="adamx", loss="mse")
        model.fit(*_blobs(8), verbose=0)
    message = str(info.value)
    assert "Could not interpret optimizer identifier" in message and "adamx" in message
    assert "adam" in message.replace("adamx", "") and "sgd" in message and "rmsprop" in message


def test_unknown_loss_name_lists_valid_ones():
    model = _classifier()
    with pytest.raises(ValueError) as info:
        model.compile(optimizer="adam", loss="msx")
        model.fit(*_blobs(8), verbose=0)
    message = str(info.value)
    assert "Could not interpret loss identifier" in message and "msx" in message
    assert "mean_squared_error" in message and "sparse_categorical_crossentropy" in message


def test_unknown_metric_name_lists_valid_ones():
    model = _classifier()
    with pytest.raises(ValueError) as info:
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["foo"])
        model.fit(*_blobs(8), verbose=0)
    message = str(info.value)
    assert "Could not interpret metric identifier" in message and "foo" in message
    assert "accuracy" in message and "mae" in message


@pytest.mark.parametrize("batch_size", [0, -3, 2.5])
def test_invalid_batch_size_raises(batch_size):
    x, y = _blobs(8)
    model = _frozen(_classifier())
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(x, y, batch_size=batch_size, verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        model.evaluate(x, y, batch_size=batch_size, verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        model.predict(x, batch_size=batch_size, verbose=0)


# ---- metric names ----------------------------------------------------------------------
def test_metric_strings_are_the_log_names():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = rng.normal(size=(32, 1)).astype("float32")
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mse", "mae"])
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert list(history.history) == ["loss", "mae", "mse"]
    # the mse metric and the mse loss average the same values
    assert history.history["mse"] == pytest.approx(history.history["loss"], rel=1e-5)


def test_long_metric_names_are_kept_as_given():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = rng.normal(size=(16, 1)).astype("float32")
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mean_absolute_error"])
    assert list(model.evaluate(x, y, verbose=0, return_dict=True)) == ["loss", "mean_absolute_error"]


def test_compile_without_metrics_logs_only_the_loss():
    x, y = _blobs(16)
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    batch_keys = []

    class Keys(npkeras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batch_keys.append(set(logs))

    history = model.fit(x, y, batch_size=8, verbose=0, callbacks=[Keys()])
    assert list(history.history) == ["loss"]
    assert batch_keys == [{"loss"}, {"loss"}]
    assert set(model.evaluate(x, y, verbose=0, return_dict=True)) == {"loss"}


# ---- custom training loop --------------------------------------------------------------
def test_gradient_tape_training_loop_reduces_the_loss():
    x, y = _blobs(64)
    model = _classifier()
    optimizer = optimizers.Adam(learning_rate=0.05)
    loss_fn = npkeras.losses.SparseCategoricalCrossentropy()
    losses = []
    for _ in range(25):
        with npkeras.GradientTape() as tape:
            probs = model(x, training=True)
            loss = loss_fn(y, probs)
        grads = tape.gradient(loss, model.trainable_weights)
        assert len(grads) == len(model.trainable_weights) == 4
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0]
    assert int(np.asarray(optimizer.iterations)) == 25
    assert np.mean(model.predict(x, verbose=0).argmax(1) == y) > 0.95


def test_regularization_penalties_are_added_once_per_step():
    """Kernel and activity penalties enter the loss; activity losses do not pile up across steps."""
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    y = np.zeros((16, 1), "float32")
    layer = npkeras.layers.Dense(
        1,
        kernel_initializer="ones",
        kernel_regularizer=npkeras.regularizers.L2(0.5),
        activity_regularizer=npkeras.regularizers.L1(0.25),
    )
    model = npkeras.Sequential([npkeras.Input((4,)), layer])
    model.compile(optimizer=npkeras.optimizers.SGD(0.0), loss="mse")
    for _ in range(3):
        model.train_on_batch(x, y)
    assert len(model.losses) == 2  # one activity loss from the last call, one kernel penalty
    out = x @ np.ones((4, 1), "float32")
    expected = np.mean(out**2) + 0.5 * 4.0 + 0.25 * np.sum(np.abs(out)) / 16  # Keras 3.15 gives 6.245111
    assert model.evaluate(x, y, verbose=0, batch_size=16) == pytest.approx(expected, rel=1e-5)


def test_single_output_loss_weights_scale_the_loss():
    x = np.ones((4, 2), "float32")
    y = np.zeros((4, 1), "float32")
    model = npkeras.Sequential([npkeras.Input((2,)), layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse")
    plain = model.evaluate(x, y, verbose=0)
    for weights in (3.0, [3.0], {"dense": 3.0}):
        model.compile(optimizer="sgd", loss="mse", loss_weights=weights)
        assert model.evaluate(x, y, verbose=0) == pytest.approx(3 * plain)
    with pytest.raises(ValueError, match="one output"):
        model.compile(optimizer="sgd", loss="mse", loss_weights=[1.0, 2.0])


def _small_model(functional):
    inputs = npkeras.Input((3,), name="pixels")
    outputs = layers.Dense(2)(inputs) if functional else None
    model = npkeras.Model(inputs, outputs) if functional else npkeras.Sequential([inputs, layers.Dense(2)])
    model.compile("sgd", "mse")
    return model


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
def test_a_dict_of_inputs_is_taken_by_the_inputs_names(functional):
    model = _small_model(functional)
    x = np.ones((4, 3), np.float32)
    np.testing.assert_array_equal(model.predict({"pixels": x}, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(ValueError, match=r"expects inputs \['pixels'\]; missing \['pixels'\] \(the dict it received "
                                         r"has the keys \['wrong'\]\)"):  # fmt: skip
        model.fit({"wrong": x}, np.ones((4, 2)), verbose=0)


@pytest.mark.parametrize("role", ["x", "y"])
def test_ragged_lists_are_refused_naming_the_argument(role):
    model = _small_model(functional=False)
    x, y = [[1, 2, 3], [1, 2, 3]], [[1.0, 2.0], [1.0, 2.0]]
    ragged = {"x": [[1, 2, 3], [1, 2]], "y": [[1.0, 2.0], [1.0]]}[role]
    with pytest.raises(ValueError, match=rf"`{role}` is ragged: its rows have different lengths"):
        model.fit(ragged if role == "x" else x, ragged if role == "y" else y, verbose=0)


def test_fit_on_a_generator_warns_that_shuffle_is_ignored_as_keras_does():
    x, y = _blobs(64)
    model = _frozen(_classifier())

    def batches():
        for i in range(0, 64, 16):
            yield x[i : i + 16], y[i : i + 16]

    with pytest.warns(UserWarning, match=r"^`shuffle=True` was passed, but will be ignored since the data `x` was "):
        model.fit(batches(), epochs=1, verbose=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(batches(), epochs=1, shuffle=False, verbose=0)
    assert not [w for w in caught if "shuffle" in str(w.message)]
