"""Utilities: seeds, one-hot labels, sequence padding, progress bar, PyDataset, session reset, model and graph plots."""

from npkeras.backend.global_state import clear_session
from npkeras.backend.random import set_random_seed
from npkeras.utils.dataset_split import split_dataset
from npkeras.utils.file_utils import get_file
from npkeras.utils.graph_visualization import graph_to_dot, plot_graph
from npkeras.utils.image_dataset import image_dataset_from_directory
from npkeras.utils.model_visualization import model_to_dot, plot_model
from npkeras.utils.numerical import normalize, to_categorical
from npkeras.utils.progbar import Progbar
from npkeras.utils.py_dataset import PyDataset, Sequence
from npkeras.utils.sequences import pad_sequences
from npkeras.utils.text_dataset import text_dataset_from_directory
from npkeras.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "Progbar",
    "PyDataset",
    "Sequence",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "graph_to_dot",
    "image_dataset_from_directory",
    "model_to_dot",
    "normalize",
    "pad_sequences",
    "plot_graph",
    "plot_model",
    "register_keras_serializable",
    "serialize_keras_object",
    "set_random_seed",
    "split_dataset",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
]

# Keras's aliases of keras.saving's registry and (de)serializers, looked up on first use: utils sits below saving.
_FROM_SAVING = {
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
}


def __getattr__(name):
    if name in _FROM_SAVING:
        from npkeras import saving

        return getattr(saving, name)
    raise AttributeError(f"module 'npkeras.utils' has no attribute {name!r}")
