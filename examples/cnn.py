"""Notes §1.2 (CNN): the notes' convolutional network, trained on Fashion-MNIST.

The code block is the notes' own with `tensorflow.keras` replaced by `npkeras`; the notes stop
at `compile`, so the training and evaluation lines follow §2.1/§1.4's pattern, with images
reshaped to (28, 28, 1) as Conv2D expects.
Run: python examples/cnn.py [EPOCHS] [SEED]
"""

import sys

import npkeras
from npkeras import layers, models

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
npkeras.utils.set_random_seed(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
(train_images, train_labels), (test_images, test_labels) = npkeras.datasets.fashion_mnist.load_data()
train_images = (train_images / 255.0).reshape(-1, 28, 28, 1)
test_images = (test_images / 255.0).reshape(-1, 28, 28, 1)

# §1.2: building a simple CNN, as the notes write it
# fmt: off
model = models.Sequential([
    layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation='relu'),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dense(10, activation='softmax')
])

model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])
# fmt: on
model.summary()

model.fit(train_images, train_labels, epochs=epochs)
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("\nTest accuracy:", test_acc)
