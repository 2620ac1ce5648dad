"""to_json / model_from_json: the architecture and compile settings, without weights."""

import json

import numpy as np
import pytest

import npkeras
from npkeras import layers


def test_to_json_round_trips_the_architecture_and_compile_settings():
    model = npkeras.Sequential(
        [layers.Input((4, 2)), layers.GRU(3, return_sequences=True), layers.Flatten(), layers.Dense(2)]
    )
    model.compile(optimizer=npkeras.optimizers.SGD(0.05, momentum=0.9), loss="mse", metrics=["mae"])
    text = model.to_json(indent=1)
    config = json.loads(text)
    assert config["class_name"] == "Sequential" and config["build_config"] == {"input_shape": [None, 4, 2]}
    restored = npkeras.models.model_from_json(text)
    assert [type(layer).__name__ for layer in restored.layers] == ["GRU", "Flatten", "Dense"]
    assert restored.count_params() == model.count_params()
    assert restored.optimizer.get_config()["momentum"] == 0.9 and restored.loss == "mse"
    restored.set_weights(model.get_weights())
    x = np.ones((1, 4, 2), np.float32)
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_model_from_json_needs_json():
    with pytest.raises(ValueError, match="JSON text of Model.to_json"):
        npkeras.models.model_from_json("not json")
