"""Run by test_keras_applications.py in a Python with TensorFlow: save a Keras application's weights and outputs.

python keras_applications_script.py NAME WEIGHTS_PATH INPUTS_NPZ OUTPUTS_NPZ
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["CUDA_VISIBLE_DEVICES"] = ""

import keras  # noqa: E402
import numpy as np  # noqa: E402

name, weights_path, inputs_path, outputs_path = sys.argv[1:5]
keras.utils.set_random_seed(0)
model = getattr(keras.applications, name)(weights=None)
x = np.load(inputs_path)["x"]
model.save_weights(weights_path)
np.savez(outputs_path, y=model.predict(x, verbose=0), params=model.count_params())
