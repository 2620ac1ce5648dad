"""Functions in configs: named ones by name, lambdas as bytecode loaded only outside safe mode."""

import pytest

import npkeras
from npkeras.saving.functions import deserialize_function, serialize_function
from npkeras.saving.registration import safe_mode_scope


def test_a_lambda_round_trips_only_outside_safe_mode():
    offset = 3.0
    config = serialize_function(lambda x, k=2.0: x * k + offset)
    assert config["class_name"] == "__lambda__" and config["config"]["closure"] == (3.0,)
    with pytest.raises(ValueError, match="safe_mode=False"):
        deserialize_function(config)
    with safe_mode_scope(False):
        fn = deserialize_function(config)
    assert fn(1.0) == 5.0 and fn(1.0, k=1.0) == 4.0


def test_named_keras_activations_load_by_name():
    config = serialize_function(npkeras.activations.relu)
    assert config == {
        "module": "npkeras.activations",
        "class_name": "function",
        "config": "relu",
        "registered_name": "function",
    }
    assert deserialize_function(config) is npkeras.activations.relu
    assert deserialize_function({"module": "keras.src.activations.activations", "class_name": "function",
                                 "config": "tanh"}) is npkeras.activations.tanh  # fmt: skip


def test_a_function_of_another_module_needs_safe_mode_off():
    config = {"module": "os.path", "class_name": "function", "config": "basename", "registered_name": "function"}
    with pytest.raises(ValueError, match="does not import modules named by a file in safe mode"):
        deserialize_function(config)
    import os.path

    with safe_mode_scope(False):
        assert deserialize_function(config) is os.path.basename
