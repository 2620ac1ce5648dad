"""Subclassed Model: layers set in __init__, call(x, training=False), fit, weight tracking."""

import numpy as np
import pytest

import npkeras
from npkeras import layers, optimizers


class Net(npkeras.Model):
    def __init__(self, hidden=8, classes=2, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(hidden, activation="relu")
        self.dropout = layers.Dropout(0.1)
        self.out = layers.Dense(classes, activation="softmax")

    def call(self, x, training=False):
        return self.out(self.dropout(self.hidden(x), training=training))


class Reversed(npkeras.Model):
    """Assigns the output layer first: weight order follows assignment, not call order."""

    def __init__(self):
        super().__init__()
        self.second = layers.Dense(2)
        self.first = layers.Dense(5)

    def call(self, x, training=False):
        return self.second(self.first(x))


def _blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    x = (rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)).astype("float32")
    order = rng.permutation(n)
    return x[order], y[order]


def test_subclassed_model_trains_with_fit():
    x, y = _blobs()
    model = Net()
    assert not model.built
    model.compile(
        optimizer=optimizers.Adam(learning_rate=0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    assert model.built
    assert history.history["accuracy"][-1] > 0.95
    loss, acc = model.evaluate(x, y, verbose=0)
    assert acc > 0.95
    out = model.predict(x[:5], verbose=0)
    assert type(out) is np.ndarray and out.shape == (5, 2)


def test_layers_and_weights_are_tracked_in_assignment_order():
    model = Net()
    model(np.zeros((3, 2), "float32"))
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]
    weights = model.weights
    assert [tuple(w.shape) for w in weights] == [(2, 8), (8,), (8, 2), (2,)]
    assert weights[0] is model.hidden.kernel and weights[1] is model.hidden.bias
    assert weights[2] is model.out.kernel and weights[3] is model.out.bias
    assert [id(w) for w in model.trainable_weights] == [id(w) for w in weights]
    assert model.count_params() == 2 * 8 + 8 + 8 * 2 + 2


def test_assignment_order_not_call_order():
    model = Reversed()
    model(np.zeros((1, 3), "float32"))
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert [tuple(w.shape) for w in model.weights] == [(5, 2), (2,), (3, 5), (5,)]


def test_subclassed_model_get_and_set_weights():
    a, b = Net(), Net()
    x = np.random.default_rng(1).normal(size=(6, 2)).astype("float32")
    a(x)
    b(x)
    b.set_weights(a.get_weights())
    np.testing.assert_array_equal(a.predict(x, verbose=0), b.predict(x, verbose=0))


def test_training_flag_reaches_call():
    seen = []

    class Spy(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x, training=False):
            seen.append(training)
            return self.dense(x)

    model = Spy()
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")
    model.fit(x, y, batch_size=4, verbose=0)
    model.predict(x, verbose=0)
    assert True in seen  # the training step
    assert seen[-1] is False  # predict


def test_model_without_call_raises():
    class Empty(npkeras.Model):
        pass

    with pytest.raises(NotImplementedError):
        Empty()(np.zeros((1, 2), "float32"))


def test_model_names_are_snake_case_of_the_class():
    assert Net().name == "net"
    assert Net().name == "net_1"
    assert Net(name="custom").name == "custom"


def test_a_subclassed_model_whose_call_takes_no_training_builds_and_fits():
    class Plain(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.embed, self.out = layers.Embedding(10, 4), layers.Dense(1)

        def call(self, ids):  # neither `training` nor `mask`: Keras passes them only to calls that take them
            return self.out(npkeras.ops.mean(self.embed(ids), axis=1))

    model = Plain()
    model.compile(optimizer="adam", loss="mse")
    ids = np.random.default_rng(0).integers(0, 10, (32, 5))  # integer ids build the model: the first batch is real
    history = model.fit(ids, np.ones((32, 1), "float32"), epochs=3, verbose=0)
    assert model.built and len(history.history["loss"]) == 3
    model.build((None, 5))  # building again is a no-op
    assert model.predict(ids, verbose=0).shape == (32, 1)
