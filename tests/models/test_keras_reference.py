"""Training matches Keras-TensorFlow step by step (fixture made by tests/fixtures/make_keras_training_reference.py)."""

from pathlib import Path

import numpy as np
import pytest

import npkeras

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "keras_training_reference.npz"
OPTIMIZERS = {
    "adam": lambda: npkeras.optimizers.Adam(learning_rate=0.01),
    "sgd_momentum": lambda: npkeras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    "rmsprop": lambda: npkeras.optimizers.RMSprop(learning_rate=0.01),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_train_on_batch_follows_keras_tensorflow(name):
    with np.load(FIXTURE, allow_pickle=False) as ref:
        ref = dict(ref)
    x, y = ref["x"], ref["y"]
    model = npkeras.Sequential(
        [
            npkeras.Input((8, 8)),
            npkeras.layers.Flatten(),
            npkeras.layers.Dense(16, activation="relu"),
            npkeras.layers.Dense(4, activation="softmax"),
        ]
    )
    model.set_weights([ref[f"initial_{i}"] for i in range(4)])
    model.compile(optimizer=OPTIMIZERS[name](), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = []
    for _ in range(2):
        for i in range(0, len(x), 32):
            history.append(model.train_on_batch(x[i : i + 32], y[i : i + 32]))
    np.testing.assert_allclose(np.array(history), ref[f"{name}_history"], rtol=2e-5, atol=1e-6)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, ref[f"{name}_final_{i}"], rtol=1e-4, atol=1e-5)
