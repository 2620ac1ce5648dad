"""Run by a Python with Keras-TensorFlow: load compiled .keras files saved by npkeras and evaluate them there.

Usage: python keras_evaluates_npkeras.py IN.npz OUT.npz
IN.npz holds "<file>.x" and "<file>.y" for each .keras file path; OUT.npz gets "<file>.eval.<log>" (Keras's
model.evaluate(x, y, batch_size=8) by log name), "<file>.pred" and "<file>.loss_class" (the loss Keras restored).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["CUDA_VISIBLE_DEVICES"] = ""

import warnings  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402


def main(inputs_path, outputs_path):
    inputs = np.load(inputs_path)
    out = {}
    for key in inputs.files:
        if not key.endswith(".x"):
            continue
        path = key[: -len(".x")]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Keras only warns when it cannot compile from the file's config
            model = keras.models.load_model(path)
        x, y = inputs[key], inputs[f"{path}.y"]
        out[f"{path}.pred"] = model.predict(x, verbose=0)
        out[f"{path}.loss_class"] = np.array(type(model.loss).__name__)
        for log, value in model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True).items():
            out[f"{path}.eval.{log}"] = np.asarray(value, np.float32)
    np.savez(outputs_path, **out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
