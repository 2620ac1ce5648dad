"""The small models the data-parallel tests train, on 1 process (in the test) and on 2 (data_parallel_script.py).

Each scenario: 160 samples, global batch 16, 2 epochs, so 20 steps, shuffled from the seed."""

import numpy as np

import npkeras
from npkeras import layers

RNG = np.random.default_rng(0)
IMAGES = RNG.random((160, 8, 8, 1)).astype("float32")
SEQUENCES = RNG.random((160, 6, 3)).astype("float32")
FEATURES = RNG.random((160, 12)).astype("float32")
LABELS = RNG.integers(0, 3, 160)
FIT = {"batch_size": 16, "epochs": 2, "verbose": 0}


def mlp(optimizer):
    return [npkeras.Input((12,)), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")], optimizer


def cnn_synchronized_batch_norm():
    return [
        npkeras.Input((8, 8, 1)),
        layers.Conv2D(4, 3),
        layers.BatchNormalization(synchronized=True),
        layers.Activation("relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(3, activation="softmax"),
    ], npkeras.optimizers.SGD(0.1)


def lstm():
    return [npkeras.Input((6, 3)), layers.LSTM(5), layers.Dense(3, activation="softmax")], npkeras.optimizers.SGD(0.1)


SCENARIOS = {
    "mlp_sgd": (lambda: mlp(npkeras.optimizers.SGD(0.1)), FEATURES),
    "mlp_adam_clipnorm": (lambda: mlp(npkeras.optimizers.Adam(0.01, clipnorm=0.5)), FEATURES),
    "cnn_synchronized_batch_norm": (cnn_synchronized_batch_norm, IMAGES),
    "lstm_sgd": (lstm, SEQUENCES),
}


def trained(name):
    """The scenario's model after its 20 steps, and its fit History."""
    build, x = SCENARIOS[name]
    npkeras.utils.set_random_seed(1)
    stack, optimizer = build()
    model = npkeras.Sequential(stack)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, LABELS, **FIT)
    return model, history


def trained_on_a_last_batch_of_one():
    """The MLP after one epoch over 33 samples in batches of 16: on 2 processes one of them has no sample of the
    last batch."""
    npkeras.utils.set_random_seed(1)
    stack, optimizer = mlp(npkeras.optimizers.SGD(0.1))
    model = npkeras.Sequential(stack)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(FEATURES[:33], LABELS[:33], batch_size=16, epochs=1, verbose=0)
    return model


def cross_validated():
    """3 folds of the MLP, 1 epoch each: per-fold accuracy and loss."""

    def build():
        stack, optimizer = mlp(npkeras.optimizers.SGD(0.1))
        model = npkeras.Sequential(stack)
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    npkeras.utils.set_random_seed(3)
    result = npkeras.evaluation.cross_validate(build, FEATURES, LABELS, folds=3, verbose=0, epochs=1, batch_size=16)
    return result["folds"]
