"""Notes §1.2 (classic CNNs): LeNet-5 or ResNet-20 from npkeras.applications, trained on Fashion-MNIST.

The 28x28 images are padded to 32x32, as LeNet-5 was designed for and ResNet-20's CIFAR layout expects.
Adam's learning rate follows a cosine from 1e-3 down to 0 over the run, so the last epochs settle.
The script prints the model's summary, trains with the progress bar, prints the test accuracy and the time
per epoch, and saves the trained model as a Keras .keras file.
Run: python examples/classic_models.py lenet5|resnet20 [EPOCHS] [NTRAIN] [SAVE_PATH] [NTEST]
"""

import sys
import time

import numpy as np

import npkeras
from npkeras import applications

BATCH_SIZE = 64
MODELS = {"lenet5": applications.LeNet5, "resnet20": applications.ResNet20}
name = sys.argv[1] if len(sys.argv) > 1 else "lenet5"
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
ntrain = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
save_path = sys.argv[4] if len(sys.argv) > 4 else f"{name}_fashion_mnist.keras"
ntest = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
if name not in MODELS:
    sys.exit(f"usage: classic_models.py {'|'.join(MODELS)} [EPOCHS] [NTRAIN] [SAVE_PATH] [NTEST]")

npkeras.utils.set_random_seed(0)
(x_train, y_train), (x_test, y_test) = npkeras.datasets.fashion_mnist.load_data()


def to_32x32(images):
    """Scale to [0, 1] and pad 2 pixels of background on every side: (n, 28, 28) -> (n, 32, 32, 1)."""
    return np.pad(images.astype(np.float32) / 255.0, ((0, 0), (2, 2), (2, 2)))[..., None]


x_train, y_train = to_32x32(x_train[:ntrain]), y_train[:ntrain]
x_test, y_test = to_32x32(x_test[:ntest]), y_test[:ntest]
model = MODELS[name](input_shape=(32, 32, 1), classes=10)
trained_on = len(x_train) - len(x_train) // 10  # validation_split holds out the last tenth
steps = epochs * -(-trained_on // BATCH_SIZE)
learning_rate = npkeras.optimizers.schedules.CosineDecay(1e-3, decay_steps=steps)  # Adam's 1e-3 down to 0
model.compile(optimizer=npkeras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])  # fmt: skip
model.summary()
start = time.time()
model.fit(x_train, y_train, epochs=epochs, batch_size=BATCH_SIZE, validation_split=0.1)
seconds = time.time() - start
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
print(f"\n{name}: {epochs} epochs on {trained_on} images in {seconds:.0f} s ({seconds / epochs:.0f} s/epoch)")
print(f"Test loss: {test_loss:.4f}\nTest accuracy: {test_acc:.4f}")
model.save(save_path)
print(f"Saved the trained model to {save_path}")
