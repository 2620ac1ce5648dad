"""Keras layers."""

from npkeras.layers.convolutional import Conv1D, Conv2D
from npkeras.layers.core import Activation, Dense
from npkeras.layers.embedding import Embedding
from npkeras.layers.input_layer import Input, InputLayer, KerasTensor
from npkeras.layers.lambda_layer import Lambda
from npkeras.layers.layer import Layer
from npkeras.layers.masking import Masking
from npkeras.layers.merging import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
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
from npkeras.layers.recurrent import GRU, LSTM, RNN, SimpleRNN
from npkeras.layers.recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell
from npkeras.layers.regularization import Dropout, SpatialDropout1D, SpatialDropout2D
from npkeras.layers.reshaping import Flatten, Reshape, ZeroPadding1D, ZeroPadding2D
from npkeras.layers.serialization import deserialize, serialize
from npkeras.layers.stacked_rnn_cells import StackedRNNCells
from npkeras.layers.wrappers import Bidirectional, TimeDistributed

# Keras's aliases
Convolution1D, Convolution2D = Conv1D, Conv2D
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D

__all__ = [
    "Activation",
    "Add",
    "Average",
    "Concatenate",
    "Maximum",
    "Minimum",
    "Multiply",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNormalization",
    "Bidirectional",
    "Conv1D",
    "Conv2D",
    "Convolution1D",
    "Convolution2D",
    "Dense",
    "Dropout",
    "Embedding",
    "Flatten",
    "GRU",
    "GRUCell",
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
    "LSTM",
    "Lambda",
    "LSTMCell",
    "Layer",
    "Masking",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "RNN",
    "Reshape",
    "SimpleRNN",
    "SimpleRNNCell",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "StackedRNNCells",
    "TimeDistributed",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "deserialize",
    "serialize",
]
