"""Run in a fresh process by test_exact_resume.py: python resume_script.py MODE EPOCHS PATH [WEIGHTS_FORMAT]

MODE "fresh": seed 0, build, train EPOCHS epochs, save to PATH (.keras).
MODE "resume": load PATH, train EPOCHS more epochs, save back to PATH.
The model draws on the random state in every way training can: shuffling, Dropout and a seeded Dropout.
"""

import sys

import numpy as np

import npkeras
from npkeras import layers


def data():
    rng = np.random.default_rng(42)
    return rng.random((96, 12), dtype=np.float32), rng.integers(0, 3, 96)


def fresh_model():
    npkeras.utils.set_random_seed(0)
    model = npkeras.Sequential(
        [
            layers.Input((12,)),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.3),
            layers.BatchNormalization(),
            layers.Dense(8, activation="tanh"),
            layers.Dropout(0.2, seed=5),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main(mode, epochs, path, weights_format=None):
    x, y = data()
    if mode == "fresh":
        model = fresh_model()
    else:
        npkeras.utils.set_random_seed(123)  # whatever the new process seeds, the file's random state wins
        model = npkeras.models.load_model(path)
    model.fit(x, y, epochs=int(epochs), batch_size=16, verbose=0)
    model.save(path, weights_format=weights_format)


if __name__ == "__main__":
    main(*sys.argv[1:])
