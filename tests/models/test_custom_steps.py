"""Customising fit the way Keras's guides do: train_step/test_step/predict_step overrides, compute_loss,
add_loss, custom metric trackers, a GAN with two optimizers and an endpoint layer."""

import warnings

import numpy as np
import pytest

import npkeras
from npkeras import layers, ops

RNG = np.random.default_rng(0)
X = RNG.random((100, 8)).astype("float32")
Y = (X @ RNG.standard_normal((8, 1)) + 0.5).astype("float32")


class CountingModel(npkeras.Model):
    """The guide's first train_step: compute_loss, optimizer.apply, metrics from self.metrics."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.train_steps = self.test_steps = self.predict_steps = 0

    def train_step(self, data):
        self.train_steps += 1
        x, y = data
        with npkeras.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        self.test_steps += 1
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            metric.update_state(loss) if metric.name == "loss" else metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def predict_step(self, data):
        self.predict_steps += 1
        return super().predict_step(data) * 2.0


def counting_model():
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((8,))
    return CountingModel(inputs, layers.Dense(1)(inputs))


def test_a_train_step_override_runs_once_per_batch_and_its_logs_reach_history():
    model = counting_model()
    model.compile(optimizer=npkeras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    seen = []
    logger = npkeras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(dict(logs)))
    history = model.fit(X, Y, batch_size=32, epochs=5, verbose=0, callbacks=[logger])
    assert model.train_steps == 5 * 4 and len(seen) == 20
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] == seen[-1]["loss"] and history.history["mae"][-1] == seen[-1]["mae"]
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert isinstance(model, npkeras.models.Functional) and type(model).__name__ == "CountingModel"


def test_a_test_step_override_drives_evaluate_and_the_on_batch_methods():
    model = counting_model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    logs = model.evaluate(X, Y, batch_size=30, verbose=0, return_dict=True)
    assert model.test_steps == 4
    prediction = model(X).numpy().astype("float64")
    assert logs["mae"] == pytest.approx(np.mean(np.abs(prediction - Y)), rel=1e-5)
    model.test_on_batch(X[:10], Y[:10])
    model.train_on_batch(X[:10], Y[:10])
    assert model.test_steps == 5 and model.train_steps == 1


def test_a_predict_step_override_drives_predict():
    model = counting_model()
    out = model.predict(X, batch_size=40, verbose=0)
    assert model.predict_steps == 3
    np.testing.assert_allclose(out, 2.0 * model(X).numpy(), rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(X[:5]), out[:5], rtol=1e-6)


class OwnTrackers(npkeras.Model):
    """The guide's lower-level train_step: compile() gives only the optimizer; trackers listed in `metrics`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = npkeras.metrics.Mean(name="loss")
        self.mae_metric = npkeras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = npkeras.losses.MeanSquaredError()

    def train_step(self, data):
        if len(data) == 3:
            x, y, sample_weight = data
        else:
            (x, y), sample_weight = data, None
        with npkeras.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred, sample_weight)
        self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_weights), self.trainable_weights))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


def test_own_trackers_are_reset_at_every_epoch_and_sample_weights_reach_the_step():
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((8,))
    model = OwnTrackers(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer=npkeras.optimizers.Adam(0.05))
    history = model.fit(X, Y, batch_size=25, epochs=4, verbose=0)
    assert model.loss_tracker.count == 4  # the last epoch's four batches only
    assert history.history["loss"][-1] < history.history["loss"][0]
    weights = np.zeros(100, "float32")
    before = [w.copy() for w in model.get_weights()]
    model.compile(optimizer=npkeras.optimizers.SGD(0.1))
    model.fit(X, Y, sample_weight=weights, batch_size=25, verbose=0)  # zero weights: zero loss, no change
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_compute_loss_is_the_compiled_loss_plus_the_models_losses():
    class Penalised(layers.Layer):
        def call(self, inputs):
            self.add_loss(ops.sum(inputs) * 0.0 + 0.25)
            return inputs

    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((8,))
    dense = layers.Dense(1, kernel_regularizer=npkeras.regularizers.L2(0.1))
    model = npkeras.Model(inputs, dense(Penalised()(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    y_pred = model(X)
    total = float(model.compute_loss(X, Y, y_pred))
    mse = float(np.mean((y_pred.numpy().astype("float64") - Y) ** 2))
    penalty = 0.1 * float(np.sum(dense.kernel.numpy().astype("float64") ** 2))
    assert total == pytest.approx(mse + 0.25 + penalty, rel=1e-6)
    assert len(model.losses) == 2


def test_a_penalty_added_after_a_first_fit_is_in_the_next_steps_loss():
    npkeras.utils.set_random_seed(0)
    model = npkeras.Sequential([npkeras.Input((8,)), layers.Dense(4)])
    model.compile(optimizer=npkeras.optimizers.SGD(0.0), loss="mse")
    model.fit(X, np.zeros((100, 4), "float32"), verbose=0)
    model.add(layers.Dense(1, kernel_regularizer=npkeras.regularizers.L2(0.5)))
    model.compile(optimizer=npkeras.optimizers.SGD(0.0), loss="mse")
    logs = model.train_on_batch(X, Y, return_dict=True)
    mse = float(np.mean((model.predict(X, verbose=0).astype("float64") - Y) ** 2))
    penalty = 0.5 * float(np.sum(model.layers[-1].kernel.numpy().astype("float64") ** 2))
    assert logs["loss"] == pytest.approx(mse + penalty, rel=1e-5)
    assert float(model.compute_loss(X, Y, model(X))) == pytest.approx(mse + penalty, rel=1e-5)


def test_metrics_set_as_attributes_join_the_models_metrics():
    class Tracked(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.seen = npkeras.metrics.Mean(name="seen")

        def call(self, x):  # no `training` argument: Keras passes it only to calls that take it
            self.seen.update_state(ops.mean(x))
            return self.dense(x)

    model = Tracked()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(X, Y, batch_size=50, epochs=2, verbose=0)
    assert model.seen in model.metrics and set(history.history) == {"loss", "mae", "seen"}
    assert model.metrics_names == ["loss", "mae", "seen"]
    model.reset_metrics()
    assert model.seen.count == 0


class LogisticEndpoint(layers.Layer):
    """The guides' endpoint layer: its loss comes from add_loss(), its predictions are the output."""

    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = npkeras.losses.BinaryCrossentropy(from_logits=True)
        self.accuracy_fn = npkeras.metrics.BinaryAccuracy(name="endpoint_accuracy")

    def call(self, targets, logits, sample_weights=None):
        self.add_loss(self.loss_fn(targets, logits, sample_weights))
        self.accuracy_fn.update_state(targets, ops.sigmoid(logits), sample_weights)
        return ops.softmax(logits)


def test_an_endpoint_layer_model_trains_through_add_loss_alone():
    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((3,), name="inputs")
    targets = npkeras.Input((10,), name="targets")
    logits = layers.Dense(10)(inputs)
    predictions = LogisticEndpoint(name="predictions")(targets, logits)
    model = npkeras.Model(inputs=[inputs, targets], outputs=predictions)
    model.compile(optimizer=npkeras.optimizers.Adam(0.05))  # no loss argument
    rng = np.random.default_rng(1)
    data = {"inputs": rng.random((64, 3)), "targets": (rng.random((64, 10)) > 0.5).astype("float32")}
    history = model.fit(data, epochs=10, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0] and all(np.isfinite(losses))
    assert "endpoint_accuracy" in history.history
    logs = model.evaluate(data, verbose=0, return_dict=True)
    logits_now = model.layers[-2](data["inputs"]).numpy().astype("float64")
    expected = np.mean(np.logaddexp(0, logits_now) - data["targets"] * logits_now)
    assert logs["loss"] == pytest.approx(expected, rel=1e-5)


def test_no_loss_at_all_is_keras_error():
    model = counting_model()
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match=r"No loss to compute\. Provide a `loss` argument in `compile\(\)`"):
        model.evaluate(X, Y, verbose=0)


class GAN(npkeras.Model):
    """The guide's GAN: its own compile() with two optimizers, a train_step that trains both nets."""

    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator, self.generator, self.latent_dim = discriminator, generator, latent_dim
        self.d_loss_tracker = npkeras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = npkeras.metrics.Mean(name="g_loss")
        self.rng = np.random.default_rng(7)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn

    def train_step(self, real):
        if isinstance(real, tuple):
            real = real[0]
        batch = ops.shape(real)[0]
        fake = self.generator(self.rng.standard_normal((batch, self.latent_dim)).astype("float32"))
        combined = ops.concatenate([fake, real], axis=0)
        labels = ops.concatenate([ops.ones((batch, 1)), ops.zeros((batch, 1))], axis=0)
        with npkeras.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply(grads, self.discriminator.trainable_weights)
        noise = self.rng.standard_normal((batch, self.latent_dim)).astype("float32")
        with npkeras.GradientTape() as tape:
            g_loss = self.loss_fn(ops.zeros((batch, 1)), self.discriminator(self.generator(noise)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply(grads, self.generator.trainable_weights)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_a_gan_with_two_optimizers_moves_its_samples_to_the_data():
    npkeras.utils.set_random_seed(0)
    discriminator = npkeras.Sequential([npkeras.Input((2,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
    generator = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(2)])
    gan = GAN(discriminator, generator, latent_dim=4)
    gan.compile(
        d_optimizer=npkeras.optimizers.Adam(0.01),
        g_optimizer=npkeras.optimizers.Adam(0.01),
        loss_fn=npkeras.losses.BinaryCrossentropy(from_logits=True),
    )
    real = (np.random.default_rng(3).standard_normal((512, 2)) * 0.3 + 3.0).astype("float32")
    noise = np.random.default_rng(4).standard_normal((256, 4)).astype("float32")
    start = np.abs(generator.predict(noise, verbose=0).mean(0) - 3.0).mean()
    history = gan.fit(real, batch_size=32, epochs=15, verbose=0)
    end = np.abs(generator.predict(noise, verbose=0).mean(0) - 3.0).mean()
    assert set(history.history) == {"d_loss", "g_loss"}
    assert int(gan.d_optimizer.iterations.numpy()) == int(gan.g_optimizer.iterations.numpy()) == 15 * 16
    assert end < 0.3 * start


def test_tf_keras_2_compiled_loss_and_compiled_metrics_still_work():
    class Legacy(npkeras.Model):
        def train_step(self, data):
            x, y = data
            with npkeras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((8,))
    model = Legacy(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer=npkeras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(X, Y, epochs=3, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["mae"][-1] < history.history["mae"][0]


def test_a_compute_loss_override_without_training_is_still_called():
    class OldStyle(npkeras.Model):
        def compute_loss(self, x, y, y_pred, sample_weight):
            return ops.mean(ops.square(y_pred - y)) * 2.0

    npkeras.utils.set_random_seed(0)
    inputs = npkeras.Input((8,))
    model = OldStyle(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="sgd")
    logged = model.evaluate(X, Y, batch_size=100, verbose=0)
    assert logged == pytest.approx(2.0 * np.mean((model.predict(X, verbose=0).astype("float64") - Y) ** 2), rel=1e-6)
