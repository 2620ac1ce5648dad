"""Keras layers."""

from npkeras.layers.core import Activation, Dense
from npkeras.layers.input_layer import Input, InputLayer, KerasTensor
from npkeras.layers.layer import Layer
from npkeras.layers.regularization import Dropout
from npkeras.layers.reshaping import Flatten, Reshape
from npkeras.layers.serialization import deserialize, serialize

__all__ = [
    "Activation",
    "Dense",
    "Dropout",
    "Flatten",
    "Input",
    "InputLayer",
    "KerasTensor",
    "Layer",
    "Reshape",
    "deserialize",
    "serialize",
]
