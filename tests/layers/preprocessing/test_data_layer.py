"""DataLayer (npkeras/layers/preprocessing/data_layer.py): data in, as Keras takes it."""

import numpy as np

import npkeras as keras
from npkeras.layers.preprocessing.data_layer import DataLayer


def test_a_list_of_strings_is_one_array_and_ints_are_not_cast():
    seen = []

    class Echo(DataLayer):
        def call(self, inputs):
            seen.append(np.asarray(inputs))
            return inputs

    layer = Echo()
    layer(["a", "bb"])
    layer(np.array([1, 2], dtype="int64"))
    assert seen[0].dtype.kind == "U" and seen[0].shape == (2,)
    assert seen[1].dtype == np.int64


def test_a_numeric_model_still_refuses_text():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    try:
        model.predict(np.array([["a", "b"]]), verbose=0)
    except ValueError as e:
        assert "numeric" in str(e)
    else:
        raise AssertionError("text reached a float model")
