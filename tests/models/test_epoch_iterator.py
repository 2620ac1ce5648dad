"""fit/evaluate/predict on a PyDataset or a generator: the same training as on the arrays themselves."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((48, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype(int)


def model():
    npkeras.utils.set_random_seed(0)
    m = npkeras.Sequential([layers.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(2, "softmax")])
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


class Batches(npkeras.utils.PyDataset):
    def __init__(self, x, y, batch_size, weights=None, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size, self.weights, self.epochs_ended = x, y, batch_size, weights, 0

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        if self.y is None:
            return self.x[s]
        return (self.x[s], self.y[s]) if self.weights is None else (self.x[s], self.y[s], self.weights[s])

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_a_pydataset_in_order_trains_like_the_arrays_unshuffled():
    x, y = data()
    by_arrays, by_dataset = model(), model()
    by_arrays.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    dataset = Batches(x, y, 16, workers=2)
    history = by_dataset.fit(dataset, epochs=3, shuffle=False, verbose=0, validation_data=Batches(x, y, 16))
    for a, b in zip(by_arrays.get_weights(), by_dataset.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert dataset.epochs_ended == 3 and "val_accuracy" in history.history
    assert by_dataset.evaluate(Batches(x, y, 16), verbose=0) == by_arrays.evaluate(x, y, batch_size=16, verbose=0)
    np.testing.assert_array_equal(by_dataset.predict(Batches(x, None, 16), verbose=0), by_arrays.predict(x, verbose=0))


def test_a_shuffled_pydataset_visits_every_batch_once_per_epoch():
    x, y = data()
    seen = []

    class Spy(Batches):
        def __getitem__(self, i):
            seen.append(i)
            return super().__getitem__(i)

    model().fit(Spy(x, y, 16), epochs=2, verbose=0)
    assert sorted(seen[1:4]) == [0, 1, 2] and sorted(seen[4:]) == [0, 1, 2]  # seen[0]: the build peek


class StepsPerEpoch(npkeras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.steps = []

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.steps[-1] += 1


@pytest.mark.parametrize("source", ["arrays", "pydataset"])
def test_steps_per_epoch_continues_the_pass_and_a_short_pass_ends_its_epoch_early(source):
    """As in Keras 3: 3 batches, 2 steps an epoch: epoch 1 takes batches 0-1, epoch 2 batch 2 (then warns that the
    input ran out), epoch 3 batches 0-1 of a new pass."""
    x, y = data()
    seen = []

    class Spy(Batches):
        def __getitem__(self, i):
            seen.append(int(i))
            return super().__getitem__(i)

    m, counter = model(), StepsPerEpoch()
    m.compile(optimizer=npkeras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    data_args = {"x": x, "y": y, "batch_size": 16} if source == "arrays" else {"x": Spy(x, y, 16)}
    with pytest.warns(UserWarning, match="Your input ran out of data; interrupting training"):
        history = m.fit(**data_args, epochs=3, steps_per_epoch=2, shuffle=False, verbose=0, callbacks=[counter])
    assert counter.steps == [2, 1, 2]
    losses = [m.evaluate(x[s], y[s], verbose=0, return_dict=True)["loss"] for s in (slice(0, 32), slice(32, 48))]
    np.testing.assert_allclose(history.history["loss"], [losses[0], losses[1], losses[0]], rtol=1e-6)
    if source == "pydataset":
        assert seen[1:] == [0, 1, 2, 0, 1]  # seen[0]: the build peek


def test_a_generator_with_steps_per_epoch():
    x, y = data()

    def forever():
        while True:
            for i in range(0, 48, 16):
                yield x[i : i + 16], y[i : i + 16], np.ones(16)

    by_arrays, by_generator = model(), model()
    by_arrays.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    by_generator.fit(forever(), steps_per_epoch=3, epochs=2, verbose=0)
    for a, b in zip(by_arrays.get_weights(), by_generator.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_a_finite_generator_is_one_epoch_and_running_short_is_an_error():
    x, y = data()
    m = model()
    m.fit(((x[i : i + 16], y[i : i + 16]) for i in range(0, 48, 16)), epochs=1, verbose=0)
    assert int(m.optimizer.iterations.data) == 3
    short = ((x[i : i + 16], y[i : i + 16]) for i in range(0, 32, 16))
    with pytest.raises(ValueError, match="ran out of batches after 2 of the 3 steps"):
        m.fit(short, steps_per_epoch=3, epochs=1, verbose=0)


@pytest.mark.parametrize("argument", [{"y": np.zeros(3)}, {"sample_weight": np.ones(3)}, {"validation_split": 0.2}])
def test_arguments_a_dataset_carries_itself_are_refused(argument):
    x, y = data()
    with pytest.raises(ValueError, match=f"`{next(iter(argument))}` argument is not supported when using a PyDataset"):
        model().fit(Batches(x, y, 16), verbose=0, **argument)


def test_batches_without_targets_cannot_train():
    x, _ = data()
    with pytest.raises(ValueError, match="compiled with a loss, so it needs targets"):
        model().fit(Batches(x, None, 16), verbose=0)


def test_class_weight_applies_to_dataset_batches():
    x, y = data()
    plain, weighted = model(), model()
    plain.fit(Batches(x, y, 16, weights=np.where(y == 1, 3.0, 1.0)), shuffle=False, verbose=0)
    weighted.fit(Batches(x, y, 16), class_weight={0: 1.0, 1: 3.0}, shuffle=False, verbose=0)
    for a, b in zip(plain.get_weights(), weighted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_batches_reach_the_steps_packed_as_keras_packs_them():
    x, y = data()
    seen = []

    class Spy(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2, activation="softmax")

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            seen.append(data)
            return super().train_step(data)

        def predict_step(self, data):
            seen.append(data)
            return super().predict_step(data)

    model = Spy()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=20, verbose=0)
    model.fit(x, y, sample_weight=np.ones(48), batch_size=48, verbose=0)
    model.predict(x, batch_size=48, verbose=0)
    assert [type(d).__name__ for d in seen] == ["tuple", "tuple", "tuple", "tuple", "ndarray"]
    assert [len(d) for d in seen[:4]] == [2, 2, 2, 3] and [len(d[0]) for d in seen[:3]] == [20, 20, 8]


@pytest.mark.parametrize(
    "method, kwargs, argument",
    [
        ("fit", {"steps_per_epoch": -3}, "steps_per_epoch"),
        ("fit", {"steps_per_epoch": 0}, "steps_per_epoch"),
        ("evaluate", {"steps": -1}, "steps"),
        ("predict", {"steps": 0}, "steps"),
    ],
)
def test_non_positive_steps_are_refused_by_name(method, kwargs, argument):
    x, y = data()
    call = getattr(model(), method)
    with pytest.raises(ValueError, match=f"`{argument}` must be a positive integer or None. Received: {argument}="):
        call(x, **({} if method == "predict" else {"y": y}), verbose=0, **kwargs)


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_empty_arrays_are_refused(method):
    args = (np.zeros((0, 4), "float32"),) if method == "predict" else (np.zeros((0, 4), "float32"), np.zeros(0))
    with pytest.raises(ValueError, match=rf"{method}\(\) received an empty data set: `x` holds 0 samples"):
        getattr(model(), method)(*args, verbose=0)


def test_an_empty_generator_is_refused():
    with pytest.raises(ValueError, match="yielded no batches"):
        model().fit((b for b in []), verbose=0)
