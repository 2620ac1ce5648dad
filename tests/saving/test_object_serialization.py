"""serialize_keras_object / deserialize_keras_object: Keras 3.15's configs for each kind of object, and back."""

import json

import numpy as np
import pytest

import npkeras
from npkeras.saving import deserialize_keras_object, serialize_keras_object

# json.dumps(keras.saving.serialize_keras_object(obj)) from Keras 3.15.1 (reference env), for the objects below.
KERAS = {
    "loss": '{"module": "keras.losses", "class_name": "MeanSquaredError", "config": {"name": "mean_squared_error", '
    '"reduction": "sum_over_batch_size"}, "registered_name": null}',
    "optimizer": '{"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam", "learning_rate": '
    '0.009999999776482582, "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, '
    '"use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null, '
    '"gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}, '
    '"registered_name": null}',
    "initializer": '{"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": 1, '
    '"input_axes": null, "output_axes": null}, "registered_name": null}',
    "regularizer": '{"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.1}, '
    '"registered_name": null}',
    "activation": '{"module": "builtins", "class_name": "function", "config": "relu", "registered_name": "function"}',
    "array": '{"class_name": "__numpy__", "config": {"value": [0.0, 1.0, 2.0], "dtype": "float64"}}',
    "metric": '{"module": "keras.metrics", "class_name": "Mean", "config": {"name": "m", "dtype": "float32"}, '
    '"registered_name": null}',
    "schedule": '{"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay", "config": '
    '{"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9, "staircase": false, "name": '
    '"ExponentialDecay"}, "registered_name": null}',
    "layer": '{"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, '
    '"dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": '
    'null}, "units": 3, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": '
    '"keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, '
    '"output_axes": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", '
    '"class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, '
    '"bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null, "quantization_config": null}, '
    '"registered_name": null}',
}


def objects():
    return {
        "loss": npkeras.losses.MeanSquaredError(),
        "optimizer": npkeras.optimizers.Adam(0.01),
        "initializer": npkeras.initializers.GlorotUniform(seed=1),
        "regularizer": npkeras.regularizers.L2(0.1),
        "activation": npkeras.activations.relu,
        "array": np.arange(3.0),
        "metric": npkeras.metrics.Mean(name="m"),
        "schedule": npkeras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9),
        "layer": npkeras.layers.Dense(3),
    }


@pytest.mark.parametrize("kind", sorted(KERAS))
def test_serializes_as_keras_does_and_back(kind):
    obj = objects()[kind]
    config = serialize_keras_object(obj)
    assert json.loads(json.dumps(config)) == json.loads(KERAS[kind])
    again = deserialize_keras_object(json.loads(KERAS[kind]))
    if kind == "array":
        np.testing.assert_array_equal(again, obj)
        assert again.dtype == np.float64
    elif kind == "activation":
        assert again is npkeras.activations.relu
    else:
        assert type(again) is type(obj)
        assert serialize_keras_object(again) == config


def test_containers_and_plain_values_pass_through():
    value = {"a": [1, 2.5, "x", None, True], "b": (np.float32(1.5), b"bytes")}
    config = serialize_keras_object(value)
    assert config == {
        "a": [1, 2.5, "x", None, True],
        "b": (1.5, {"class_name": "__bytes__", "config": {"value": "bytes"}}),
    }
    assert deserialize_keras_object(config) == {"a": [1, 2.5, "x", None, True], "b": (1.5, b"bytes")}


def test_a_model_round_trips_with_its_weights_shape():
    model = npkeras.Sequential([npkeras.Input((4,)), npkeras.layers.Dense(2)])
    again = deserialize_keras_object(json.loads(json.dumps(serialize_keras_object(model))))
    assert type(again) is npkeras.Sequential
    assert [w.shape for w in again.weights] == [(4, 2), (2,)]


def test_custom_objects_registered_or_passed():
    class Scaled(npkeras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    config = serialize_keras_object(Scaled(3.0))
    with pytest.raises(ValueError, match="Could not locate class 'Scaled'"):
        deserialize_keras_object(config)
    layer = deserialize_keras_object(config, custom_objects={"Scaled": Scaled})
    assert type(layer) is Scaled and layer.factor == 3.0

    npkeras.utils.register_keras_serializable(package="test_objects")(Scaled)
    config = serialize_keras_object(Scaled(4.0))
    assert config["registered_name"] == "test_objects>Scaled"
    assert deserialize_keras_object(config).factor == 4.0
    assert npkeras.utils.get_custom_objects()["test_objects>Scaled"] is Scaled


def test_a_registered_function_is_written_by_its_registered_name_as_keras_does():
    @npkeras.saving.register_keras_serializable(package="test_objects")
    def doubled(y_true, y_pred):
        return 2 * y_pred

    config = serialize_keras_object({"loss": doubled})
    assert config == {  # Keras 3.15's form
        "loss": {
            "module": "builtins",
            "class_name": "function",
            "config": "test_objects>doubled",
            "registered_name": "function",
        }  # fmt: skip
    }
    assert deserialize_keras_object(config)["loss"] is doubled


def test_a_module_outside_keras_is_never_imported():
    with pytest.raises(ValueError, match="Could not locate class 'Popen' \\(module 'subprocess'\\)"):
        deserialize_keras_object({"module": "subprocess", "class_name": "Popen", "config": {}})
