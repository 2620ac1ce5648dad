"""The Keras-like library a benchmark script runs (npkeras, or Keras 3 on TensorFlow-CPU), and its epoch timer."""

import importlib
import os
import time


def import_keras(lib):
    """npkeras for "npkeras"; otherwise Keras 3 on TensorFlow's CPU backend, its start-up logging quiet."""
    if lib == "npkeras":
        return importlib.import_module("npkeras")
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    return importlib.import_module("keras")


def epoch_timer(keras):
    """A callback of `keras` that appends each epoch's wall time, in seconds, to its `times`."""

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self.start)

    return EpochTimer()
