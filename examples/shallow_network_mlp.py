"""Notes §2.1 (shallow network), §2.5 (Adam) and §1.4 (evaluate): the MLP on Fashion-MNIST.

The code blocks are the notes' own, with `tf.keras` replaced by `npkeras`
(`tf.keras.Sequential` -> `npkeras.Sequential`, `tf.keras.layers` -> `npkeras.layers`).
Run: python examples/shallow_network_mlp.py [EPOCHS]
"""

import sys

import npkeras
from npkeras.datasets import fashion_mnist

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
npkeras.utils.set_random_seed(0)
(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
train_images, test_images = train_images / 255.0, test_images / 255.0

# §2.1
model = npkeras.Sequential(
    [
        npkeras.layers.Flatten(input_shape=(28, 28)),
        npkeras.layers.Dense(128, activation="relu"),
        npkeras.layers.Dense(10, activation="softmax"),
    ]
)

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()

# §2.5: training with the Adam optimizer
model.fit(train_images, train_labels, epochs=epochs)

# §1.4
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("\nTest accuracy:", test_acc)
