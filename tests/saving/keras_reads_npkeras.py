"""Run by a Python with Keras-TensorFlow: load .keras files saved by npkeras and report what Keras sees.

Usage: python keras_reads_npkeras.py IN.npz OUT.npz
IN.npz holds "<file>.x" (inputs) for each .keras file path; OUT.npz gets "<file>.y" (Keras's predictions),
"<file>.opt.<i>" (the optimizer's variables as loaded) and "<file>.w.<i>" (model.get_weights()).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["CUDA_VISIBLE_DEVICES"] = ""

import keras  # noqa: E402
import numpy as np  # noqa: E402


def main(inputs_path, outputs_path):
    inputs = np.load(inputs_path)
    out = {}
    for key in inputs.files:
        path = key[: -len(".x")]
        model = keras.models.load_model(path, safe_mode=os.environ.get("NPKERAS_TEST_SAFE_MODE") != "0")
        x = inputs[key]
        if x.dtype.kind == "U":  # text for a string Input: Keras-TF predicts on a tf.string tensor, not a "<U" array
            import tensorflow as tf

            x = tf.constant(x)
        out[f"{path}.y"] = model.predict(x, verbose=0)
        for i, w in enumerate(model.get_weights()):
            out[f"{path}.w.{i}"] = w
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and optimizer.built:
            for i, v in enumerate(optimizer.variables):
                out[f"{path}.opt.{i}"] = np.asarray(v)
    np.savez(outputs_path, **out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
