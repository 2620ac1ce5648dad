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


class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * eps, eps drawn from the layer's own SeedGenerator."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = npkeras.random.SeedGenerator(3)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = npkeras.random.normal(npkeras.ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + npkeras.ops.exp(0.5 * z_log_var) * eps


class VariationalAutoEncoder(npkeras.Model):
    """A VAE whose KL divergence enters the loss only through add_loss."""

    def __init__(self, features, latent=2, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(16, activation="relu")
        self.z_mean = layers.Dense(latent)
        self.z_log_var = layers.Dense(latent)
        self.sampling = Sampling()
        self.decoder = layers.Dense(features)

    def encode(self, x):
        h = self.hidden(x)
        return self.z_mean(h), self.z_log_var(h)

    def call(self, x):
        z_mean, z_log_var = self.encode(x)
        kl = -0.5 * npkeras.ops.mean(z_log_var - npkeras.ops.square(z_mean) - npkeras.ops.exp(z_log_var) + 1)
        self.add_loss(kl)
        return self.decoder(self.sampling((z_mean, z_log_var)))


def _two_factor_data(n=512, features=8):
    rng = np.random.default_rng(0)
    factors = rng.normal(size=(n, 2)).astype("float32")
    return factors @ rng.normal(size=(2, features)).astype("float32")


def test_a_vae_adds_its_kl_divergence_through_add_loss_and_samples_afresh_each_call():
    x = _two_factor_data()[:32]
    vae = VariationalAutoEncoder(x.shape[1])
    first = np.asarray(vae(x))
    z_mean, z_log_var = (np.asarray(t) for t in vae.encode(x))
    expected_kl = -0.5 * np.mean(z_log_var - z_mean**2 - np.exp(z_log_var) + 1)
    assert len(vae.losses) == 1 and float(vae.losses[0]) == pytest.approx(expected_kl, rel=1e-5)
    assert not np.allclose(first, np.asarray(vae(x)))  # the seed generator moved on


def test_a_vae_trains_on_its_reconstruction_loss_plus_the_kl_it_adds():
    npkeras.utils.set_random_seed(0)
    x = _two_factor_data()
    vae = VariationalAutoEncoder(x.shape[1])
    vae.compile(optimizer=optimizers.Adam(0.01), loss="mse")
    history = vae.fit(x, x, epochs=15, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < 0.75 * np.mean(x**2)  # predicting zeros costs mean(x**2); 1.07-1.12 of 1.58 on seeds 0-4
    z_log_var = np.asarray(vae.encode(x)[1])
    assert np.mean(z_log_var) < -0.5  # the reconstruction pulled the posterior's variance below the prior's
    reconstruction = np.mean((np.asarray(vae.predict(x, verbose=0)) - x) ** 2)
    assert reconstruction < 0.5 * np.mean(x**2)  # 0.34 of the data's power when written
