"""Acceptance: the notes' §2.1 block, `tf.keras` -> `npkeras`, on the real Fashion-MNIST."""

import pytest

import npkeras


@pytest.mark.slow
def test_notes_mlp_reaches_tensorflow_accuracy(fashion_mnist_data):
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist_data
    npkeras.utils.set_random_seed(0)
    model = npkeras.Sequential(
        [
            npkeras.layers.Flatten(input_shape=(28, 28)),
            npkeras.layers.Dense(128, activation="relu"),
            npkeras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    assert model.count_params() == 101_770
    history = model.fit(train_images, train_labels, epochs=10, verbose=0)
    test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
    assert len(history.history["loss"]) == 10
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert test_acc >= 0.870, f"test accuracy {test_acc:.4f} below TensorFlow's 0.873 - 0.003"
    assert 0.25 < test_loss < 0.45
