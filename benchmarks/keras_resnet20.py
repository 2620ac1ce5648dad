"""ResNet-20 on Fashion-MNIST padded to 32x32: one script for npkeras and Keras-TensorFlow (the TensorFlow twin).

The layout of npkeras.applications.ResNet20 and of torch_resnet20.py, written with Keras layers so that only
the import differs: bias-free convolutions, a 3x3 stem with 16 filters, three stages of three basic blocks
(16/32/64 filters, the later stages starting with stride 2 and a 1x1 projection shortcut), BatchNormalization
(momentum 0.99, epsilon 1.001e-5), global average pooling, Dense(10, softmax); Adam(1e-3) with a cosine
decay to 0, sparse categorical cross-entropy. Prints one JSON line: the best epoch's training samples/s,
test accuracy and the time of evaluate(batch_size=256).
Usage (from the anchors folder, whose fmnist.py reads $FMNIST_DIR):
  python keras_resnet20.py LIB EPOCHS BATCH      LIB: npkeras | keras
Environment: NTRAIN (training images, default 54000), NTEST (test images evaluated, default 10000).
"""

import json
import math
import os
import sys
import time

from keras_library import epoch_timer, import_keras

LIB = sys.argv[1] if len(sys.argv) > 1 else "npkeras"
keras = import_keras(LIB)  # before NumPy loads, as a script that starts with `import npkeras` (npkeras/_blas_env.py)
import numpy as np  # noqa: E402

layers = keras.layers
sys.path.insert(0, os.getcwd())  # the anchors folder: its fmnist.py
from fmnist import load  # noqa: E402


def batch_norm():
    return layers.BatchNormalization(momentum=0.99, epsilon=1.001e-5)


def basic_block(x, filters, stride):
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = batch_norm()(layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x))
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    x = layers.Activation("relu")(batch_norm()(x))
    x = batch_norm()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(x))
    return layers.Activation("relu")(layers.Add()([shortcut, x]))


def build():
    inputs = layers.Input((32, 32, 1))
    x = layers.Activation("relu")(batch_norm()(layers.Conv2D(16, 3, padding="same", use_bias=False)(inputs)))
    for stage, filters in enumerate((16, 32, 64)):
        for block in range(3):
            x = basic_block(x, filters, 2 if stage and not block else 1)
    outputs = layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(x))
    return keras.Model(inputs, outputs)


def to_32x32(images):
    return np.pad(images.astype("float32") / 255.0, ((0, 0), (2, 2), (2, 2)))[..., None]


def main():
    epochs, batch = int(sys.argv[2]), int(sys.argv[3])
    ntrain = int(os.environ.get("NTRAIN", "54000"))
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load()
    ntest = int(os.environ.get("NTEST", "10000"))
    x_train, y_train = to_32x32(x_train[:ntrain]), y_train[:ntrain]
    x_test, y_test = to_32x32(x_test[:ntest]), y_test[:ntest]
    model = build()
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, epochs * math.ceil(ntrain / batch))
    optimizer = keras.optimizers.Adam(schedule)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = epoch_timer(keras)
    model.fit(x_train, y_train, epochs=epochs, batch_size=batch, verbose=0, callbacks=[timer])
    start = time.perf_counter()
    _, accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
    eval_s = time.perf_counter() - start
    record = {"lib": LIB, "model": "resnet20", "epochs": epochs, "batch": batch, "ntrain": ntrain, "ntest": len(x_test)}
    record |= {"epoch_s": [round(t, 2) for t in timer.times], "eval_s": round(eval_s, 3)}
    record |= {"test_acc": round(float(accuracy), 4)}
    print(json.dumps({**record, "train_samples_per_s": round(ntrain / min(timer.times), 1)}), flush=True)


if __name__ == "__main__":
    main()
