"""A small model and data set that train in milliseconds, for the callback tests."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


@pytest.fixture
def small_fit():
    """fit(**kwargs) on a small classifier; returns (model, history, per-epoch weights)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 5)).astype("float32")
    y = (x[:, 0] + 0.3 * rng.standard_normal(64) > 0).astype(int)
    x_val, y_val = x[:16] + 0.5 * rng.standard_normal((16, 5)).astype("float32"), y[:16]

    def fit(callbacks, epochs=8, optimizer="adam", **kwargs):
        model = npkeras.Sequential([layers.Input((5,)), layers.Dense(8, activation="relu"), layers.Dense(2, "softmax")])
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        weights = []
        record = npkeras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: weights.append(model.get_weights()))
        history = model.fit(x, y, epochs=epochs, batch_size=16, verbose=0, validation_data=(x_val, y_val),
                            callbacks=[record, *callbacks], **kwargs)  # fmt: skip
        return model, history, weights

    return fit
