"""model_from_json: a model from Model.to_json()'s string (architecture and compile settings, no weights)."""

import json

from npkeras.saving.model_files import build_model
from npkeras.saving.registration import custom_object_scope


def model_from_json(json_string, custom_objects=None):
    try:
        config = json.loads(json_string)
    except (TypeError, ValueError, RecursionError) as e:
        raise ValueError(f"model_from_json() needs the JSON text of Model.to_json(): {e}") from None
    with custom_object_scope(custom_objects):
        return build_model(config, "The JSON given to model_from_json")
