"""Layer (de)serialization: the class table, aliases, Keras-written layer configs, a CNN round trip."""

import json

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.layers.layer import Layer
from npkeras.layers.serialization import _table

# `json.dumps(keras.layers.serialize(layer))` from Keras 3.15 (reference env), one per layer.
KERAS_SERIALIZED = {
    "MaxPooling2D": '{"module": "keras.layers", "class_name": "MaxPooling2D", "config": {"name": "mp", '
    '"trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, '
    '"registered_name": null}, "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], '
    '"data_format": "channels_last"}, "registered_name": null}',
    "ZeroPadding2D": '{"module": "keras.layers", "class_name": "ZeroPadding2D", "config": {"name": "zp", '
    '"trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, '
    '"registered_name": null}, "padding": [[1, 0], [0, 1]], "data_format": "channels_last"}, "registered_name": null}',
    "BatchNormalization": '{"module": "keras.layers", "class_name": "BatchNormalization", "config": {"name": "bn", '
    '"trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, '
    '"registered_name": null}, "axis": -1, "momentum": 0.9, "epsilon": 0.001, "center": true, "scale": true, '
    '"beta_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, '
    '"registered_name": null}, "gamma_initializer": {"module": "keras.initializers", "class_name": "Ones", '
    '"config": {}, "registered_name": null}, "moving_mean_initializer": {"module": "keras.initializers", '
    '"class_name": "Zeros", "config": {}, "registered_name": null}, "moving_variance_initializer": '
    '{"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null}, '
    '"beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null, '
    '"synchronized": false, "renorm": false, "renorm_clipping": null, "renorm_momentum": 0.99}, '
    '"registered_name": null}',
    "GlobalAveragePooling2D": '{"module": "keras.layers", "class_name": "GlobalAveragePooling2D", "config": '
    '{"name": "gap", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": '
    '{"name": "float32"}, "registered_name": null}, "data_format": "channels_last", "keepdims": false}, '
    '"registered_name": null}',
}
KERAS_SPATIAL_DROPOUT2D = (
    '{"module": "keras.layers", "class_name": "SpatialDropout2D", "config": {"rate": 0.2, "seed": null, '
    '"name": "sd", "dtype": "float32", "data_format": "channels_last"}, "registered_name": null}'
)


# ---- the class table --------------------------------------------------------------------


def test_table_lists_every_public_layer_class():
    table = _table()
    public = {name for name in layers.__all__ if isinstance(getattr(layers, name), type)}
    public = {name for name in public if issubclass(getattr(layers, name), Layer) and name != "Layer"}
    assert set(table) == public
    for name in [
        "BatchNormalization",
        "ZeroPadding1D",
        "ZeroPadding2D",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "Conv2D",
        "MaxPooling2D",
        "GlobalAveragePooling2D",
    ]:
        assert table[name] is getattr(layers, name)


@pytest.mark.parametrize(
    "alias, cls, config",
    [
        ("MaxPool1D", "MaxPooling1D", {}),
        ("MaxPool2D", "MaxPooling2D", {}),
        ("AvgPool1D", "AveragePooling1D", {}),
        ("AvgPool2D", "AveragePooling2D", {}),
        ("GlobalAvgPool1D", "GlobalAveragePooling1D", {}),
        ("GlobalAvgPool2D", "GlobalAveragePooling2D", {}),
        ("GlobalMaxPool1D", "GlobalMaxPooling1D", {}),
        ("GlobalMaxPool2D", "GlobalMaxPooling2D", {}),
        ("Convolution2D", "Conv2D", {"filters": 2, "kernel_size": 3}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_deserialize_accepts_alias_names(alias, cls, config):
    assert _table()[alias] is getattr(layers, cls)
    assert type(layers.deserialize({"class_name": alias, "config": config})) is getattr(layers, cls)


def test_deserialize_max_pool2d_alias_keeps_its_config():
    layer = layers.deserialize({"class_name": "MaxPool2D", "config": {"pool_size": (3, 3), "strides": 1, "name": "mp"}})
    assert type(layer) is layers.MaxPooling2D
    assert layer.name == "mp"
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(np.asarray(layer(x))[0, :, :, 0], [[10.0, 11.0], [14.0, 15.0]])
    assert layers.serialize(layer)["class_name"] == "MaxPooling2D"  # Keras writes the class, not the alias


def test_deserialize_unknown_layer_lists_known_names():
    with pytest.raises(ValueError, match="Could not locate class 'NoSuchLayer'.*BatchNormalization"):
        layers.deserialize({"class_name": "NoSuchLayer", "config": {}})


# ---- Keras-written layer configs ----------------------------------------------------------


@pytest.mark.parametrize("class_name", sorted(KERAS_SERIALIZED))
def test_keras_serialized_layer_loads_and_serializes_back_identically(class_name):
    text = KERAS_SERIALIZED[class_name]
    layer = layers.deserialize(json.loads(text))
    assert type(layer) is getattr(layers, class_name)
    assert json.dumps(layers.serialize(layer)) == text


def test_keras_serialized_spatial_dropout2d_loads():
    layer = layers.deserialize(json.loads(KERAS_SPATIAL_DROPOUT2D))
    assert type(layer) is layers.SpatialDropout2D
    config = layers.serialize(layer)["config"]
    assert (config["rate"], config["seed"], config["name"], config["data_format"]) == (0.2, None, "sd", "channels_last")
    assert list(config) == ["rate", "seed", "name", "dtype", "data_format"]


def test_keras_serialized_batch_norm_behaves():
    layer = layers.deserialize(json.loads(KERAS_SERIALIZED["BatchNormalization"]))
    x = np.array([[1.0, 0.0], [3.0, 8.0]], np.float32)
    layer(x, training=True)
    np.testing.assert_allclose(np.array(layer.moving_mean), [0.2, 0.4], rtol=1e-6)  # momentum 0.9 was read


# ---- a CNN round trip ---------------------------------------------------------------------


def _cnn():
    return npkeras.Sequential(
        [
            npkeras.Input((8, 8, 3)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.BatchNormalization(momentum=0.9),
            layers.MaxPooling2D(),
            layers.ZeroPadding2D(((1, 0), (0, 1))),
            layers.SpatialDropout2D(0.2, seed=7),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2),
        ]
    )


CNN_CLASSES = [
    "Conv2D",
    "BatchNormalization",
    "MaxPooling2D",
    "ZeroPadding2D",
    "SpatialDropout2D",
    "GlobalAveragePooling2D",
    "Dense",
]


def test_cnn_shapes_and_param_count_match_keras():
    model = _cnn()
    # Keras 3.15 counts 138: conv 3*3*3*4 + 4, batch norm 4 * 4, dense 4*2 + 2
    assert model.count_params() == 112 + 16 + 10 == 138
    assert [tuple(w.shape) for w in model.weights] == [(3, 3, 3, 4), (4,), (4,), (4,), (4,), (4,), (4, 2), (2,)]
    assert model.output_shape == (None, 2)
    assert model.layers[3].compute_output_shape((None, 3, 3, 4)) == (None, 4, 4, 4)


@pytest.mark.parametrize("through_json", [False, True], ids=["dict", "json"])
def test_cnn_round_trips_through_config(through_json):
    model = _cnn()
    config = model.get_config()
    if through_json:
        config = json.loads(json.dumps(config))
    clone = npkeras.Sequential.from_config(config)
    assert [type(layer).__name__ for layer in clone.layers] == CNN_CLASSES
    assert clone.count_params() == 138
    for original, copy in zip(model.layers, clone.layers):
        assert json.dumps(copy.get_config()) == json.dumps(original.get_config())
    assert json.dumps(clone.get_config()) == json.dumps(model.get_config())


def test_cnn_clone_with_copied_weights_predicts_the_same_after_training():
    model = _cnn()
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 8, 8, 3)).astype(np.float32)
    y = rng.standard_normal((16, 2)).astype(np.float32)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    bn = model.layers[1]
    assert not np.allclose(np.array(bn.moving_mean), 0.0)  # the moving statistics moved during fit
    clone = npkeras.Sequential.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(np.array(clone.layers[1].moving_variance), np.array(bn.moving_variance))
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-7)


class _Offset(layers.Layer):
    """A custom layer whose config holds a NumPy scalar, as `variable.numpy()` gives one."""

    def __init__(self, offset, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def get_config(self):
        return {**super().get_config(), "offset": np.asarray(self.offset, "int64")}


def test_a_custom_layer_serializes_with_its_module_and_class_name_and_plain_values_as_keras_writes_it():
    config = layers.serialize(_Offset(2, name="offset"))
    # Keras 3.15: {'module': <the class's module>, 'class_name': ..., 'config': {... 'offset': 2},
    #  'registered_name': <the class name>}; numpy values become Python ones, so the config is JSON
    assert (config["module"], config["class_name"], config["registered_name"]) == (__name__, "_Offset", "_Offset")
    assert config["config"]["offset"] == 2 and type(config["config"]["offset"]) is int
    json.dumps(config)
    restored = layers.deserialize(config, custom_objects={"_Offset": _Offset})
    assert type(restored) is _Offset and restored.offset == 2
    with pytest.raises(ValueError, match="Could not locate class '_Offset'"):
        layers.deserialize(config)
    assert layers.serialize(layers.Dense(2))["module"] == "keras.layers"  # npkeras's own layers stay Keras's
