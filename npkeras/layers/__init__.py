"""Keras layers."""

from npkeras.layers.convolutional import Conv1D, Conv2D
from npkeras.layers.core import Activation, Dense
from npkeras.layers.input_layer import Input, InputLayer, KerasTensor
from npkeras.layers.layer import Layer
from npkeras.layers.normalization import BatchNormalization
from npkeras.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from npkeras.layers.regularization import Dropout, SpatialDropout1D, SpatialDropout2D
from npkeras.layers.reshaping import Flatten, Reshape, ZeroPadding1D, ZeroPadding2D
from npkeras.layers.serialization import deserialize, serialize

# Keras's aliases
Convolution1D, Convolution2D = Conv1D, Conv2D
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D

__all__ = [
    "Activation",
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNormalization",
    "Conv1D",
    "Conv2D",
    "Convolution1D",
    "Convolution2D",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Input",
    "InputLayer",
    "KerasTensor",
    "Layer",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "Reshape",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "deserialize",
    "serialize",
]
