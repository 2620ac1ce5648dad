"""Custom classes in model files: registered, passed as custom_objects, or refused with a clear error."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.saving import ModelFileError, register_keras_serializable


class Scale(layers.Layer):
    """Multiplies by a learned per-feature scale."""

    def __init__(self, init=2.0, **kwargs):
        super().__init__(**kwargs)
        self.init = init

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer=npkeras.initializers.Constant(self.init))

    def call(self, x):
        return x * self.scale

    def get_config(self):
        return {**super().get_config(), "init": self.init}


def model_with(layer):
    model = npkeras.Sequential([layers.Input((3,)), layer, layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_an_unregistered_custom_layer_is_refused_then_loads_with_custom_objects(tmp_path):
    model = model_with(Scale(3.0))
    model.save(tmp_path / "m.keras")
    with pytest.raises(ModelFileError, match="Could not locate class 'Scale'.*register_keras_serializable"):
        npkeras.models.load_model(tmp_path / "m.keras")
    loaded = npkeras.models.load_model(tmp_path / "m.keras", custom_objects={"Scale": Scale})
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[0].init == 3.0


def test_a_registered_layer_saves_its_registered_name_and_loads_by_it(tmp_path):
    @register_keras_serializable(package="npkeras_tests", name="Scaled")
    class Registered(Scale):
        pass

    model = model_with(Registered(4.0))
    config = npkeras.saving.model_files.serialize_model(model)["config"]["layers"][1]
    assert config["registered_name"] == "npkeras_tests>Scaled" and config["class_name"] == "Registered"
    assert npkeras.saving.get_registered_object("npkeras_tests>Scaled") is Registered
    assert npkeras.saving.get_registered_name(Registered) == "npkeras_tests>Scaled"
    model.save(tmp_path / "m.keras")
    loaded = npkeras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[0]) is Registered
    np.testing.assert_array_equal(loaded.layers[0].scale.data, np.full(3, 4.0, np.float32))


def test_custom_object_scope_reaches_nested_configs():
    inner = layers.TimeDistributed(Scale(5.0))
    config = layers.serialize(inner)
    with pytest.raises(ValueError, match="Could not locate class 'Scale'"):
        layers.deserialize(config)
    with npkeras.saving.custom_object_scope({"Scale": Scale}):
        restored = layers.deserialize(config)
    assert type(restored.layer) is Scale and restored.layer.init == 5.0


def test_a_config_naming_a_foreign_module_is_refused_without_importing_it():
    config = {"module": "os", "class_name": "system", "config": {"command": "echo hacked"}, "registered_name": None}
    with pytest.raises(ValueError, match="module 'os', which is not part of Keras"):
        layers.deserialize(config)


def test_register_rejects_a_bad_package():
    with pytest.raises(ValueError, match="without '>'"):
        register_keras_serializable(package="a>b")
