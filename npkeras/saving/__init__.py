"""Saving and loading: Keras 3's .keras archives and weights files, with no pickle anywhere."""

from npkeras.saving.errors import ModelFileError
from npkeras.saving.model_files import load_model, load_weights, save_model, save_weights
from npkeras.saving.model_json import model_from_json
from npkeras.saving.object_serialization import deserialize_keras_object, serialize_keras_object
from npkeras.saving.registration import (
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)

__all__ = [
    "ModelFileError",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "model_from_json",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]
