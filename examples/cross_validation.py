"""Notes §1.4 (evaluation): 5-fold stratified cross-validation of the notes' §2.1 MLP on Fashion-MNIST.

One call trains a fresh model on four folds and evaluates it on the fifth, five times over, and prints each
fold's accuracy and the mean ± standard deviation.
Run: python examples/cross_validation.py [EPOCHS] [NSAMPLES]
"""

import sys

import npkeras

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
nsamples = int(sys.argv[2]) if len(sys.argv) > 2 else 10000

(x_train, y_train), _ = npkeras.datasets.fashion_mnist.load_data()
x, y = x_train[:nsamples] / 255.0, y_train[:nsamples]


def build_model():
    model = npkeras.Sequential(
        [
            npkeras.layers.Flatten(input_shape=(28, 28)),
            npkeras.layers.Dense(128, activation="relu"),
            npkeras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


npkeras.utils.set_random_seed(0)
result = npkeras.evaluation.cross_validate(build_model, x, y, folds=5, stratified=True, epochs=epochs)
accuracies = [fold["accuracy"] for fold in result["folds"]]
print("Per-fold accuracy:", ", ".join(f"{a:.4f}" for a in accuracies))
print(f"Cross-validated accuracy: {result['mean']['accuracy']:.4f} ± {result['std']['accuracy']:.4f}")
