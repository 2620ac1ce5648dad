"""Embedding: shapes, values, masks, id checks, weights and configs as in Keras 3.15."""

import json

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY

from npkeras import layers, ops
from npkeras.autograd import GradientTape

RANDOM_UNIFORM = {
    "module": "keras.initializers",
    "class_name": "RandomUniform",
    "config": {"seed": None, "minval": -0.05, "maxval": 0.05},
    "registered_name": None,
}
# Embedding(10, 4).get_config() in Keras 3.15, key order included
KERAS_EMBEDDING_CONFIG = {
    "name": "embedding",
    "trainable": True,
    "dtype": FLOAT32_POLICY,
    "input_dim": 10,
    "output_dim": 4,
    "embeddings_initializer": RANDOM_UNIFORM,
    "embeddings_regularizer": None,
    "activity_regularizer": None,
    "embeddings_constraint": None,
    "mask_zero": False,
    "quantization_config": None,
}


def _embedding(input_dim=6, output_dim=3, seed=0, **kwargs):
    """A built Embedding whose table is known random values."""
    layer = layers.Embedding(input_dim, output_dim, **kwargs)
    layer.build()
    table = np.random.default_rng(seed).standard_normal((input_dim, output_dim)).astype(np.float32)
    layer.set_weights([table])
    return layer, table


# ---- shapes and values ------------------------------------------------------------------


@pytest.mark.parametrize("ids_shape", [(5,), (2, 4), (2, 3, 4)])
def test_output_shape_and_values_are_table_rows(ids_shape):
    layer, table = _embedding()
    ids = np.random.default_rng(1).integers(0, 6, size=ids_shape)
    out = layer(ids)
    assert out.shape == (*ids_shape, 3)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(out), table[ids])
    assert layer.compute_output_shape((None, *ids_shape[1:])) == (None, *ids_shape[1:], 3)


def test_table_shape_and_default_initializer_range():
    layer = layers.Embedding(1000, 8)
    layer(np.array([[1, 2]]))
    assert [w.name for w in layer.weights] == ["embeddings"]
    assert layer.embeddings.shape == (1000, 8)
    table = np.asarray(layer.embeddings)
    assert np.abs(table).max() <= 0.05 and np.abs(table).max() > 0.045  # RandomUniform(-0.05, 0.05)
    assert layer.count_params() == 8000


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.int8])
def test_integer_dtypes_are_accepted(dtype):
    layer, table = _embedding()
    ids = np.array([[5, 0, 2]], dtype=dtype)
    np.testing.assert_array_equal(np.asarray(layer(ids)), table[[[5, 0, 2]]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_integral_floats_are_accepted(dtype):
    layer, table = _embedding()
    ids = np.array([[1.0, 5.0], [0.0, 3.0]], dtype=dtype)
    np.testing.assert_array_equal(np.asarray(layer(ids)), table[[[1, 5], [0, 3]]])


def test_lists_of_ids_are_accepted():
    layer, table = _embedding()
    np.testing.assert_array_equal(np.asarray(layer([[2, 4]])), table[[[2, 4]]])


def test_gradient_reaches_the_table_rows_that_were_looked_up():
    layer, _ = _embedding()
    ids = np.array([[1, 4, 1], [4, 4, 0]])
    upstream = np.random.default_rng(2).standard_normal((2, 3, 3)).astype(np.float32)
    with GradientTape() as tape:
        loss = ops.sum(layer(ids) * upstream)
    (grad,) = tape.gradient(loss, [layer.embeddings])
    expected = np.zeros((6, 3), np.float32)
    for (b, t), row in np.ndenumerate(ids):
        expected[row] += upstream[b, t]
    np.testing.assert_allclose(np.asarray(grad), expected, rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(grad)[[2, 3, 5]], 0)


# ---- masks ------------------------------------------------------------------------------


def test_mask_zero_mask_from_compute_mask_and_on_the_output():
    layer, table = _embedding(mask_zero=True)
    ids = np.array([[3, 1, 0, 0], [0, 2, 5, 0]])
    expected = np.array([[True, True, False, False], [False, True, True, False]])
    np.testing.assert_array_equal(layer.compute_mask(ids), expected)
    out = layer(ids)
    assert out._keras_mask is not None
    assert out._keras_mask.dtype == bool
    np.testing.assert_array_equal(out._keras_mask, expected)
    np.testing.assert_array_equal(np.asarray(out), table[ids])  # id 0 still looks up row 0
    assert layer.supports_masking


def test_no_mask_without_mask_zero():
    layer, _ = _embedding()
    ids = np.array([[3, 0]])
    assert layer.compute_mask(ids) is None
    assert layer(ids)._keras_mask is None
    assert not layer.supports_masking


# ---- bad ids ----------------------------------------------------------------------------


@pytest.mark.parametrize("ids", [np.array([[1.5, 2.0]]), np.array([0.25], dtype=np.float32)])
def test_non_integral_floats_are_refused_naming_the_layer(ids):
    layer, _ = _embedding(name="word_vectors")
    with pytest.raises(ValueError, match="word_vectors") as info:
        layer(ids)
    assert "integer" in str(info.value)


@pytest.mark.parametrize("bad", [-1, 6, 100])
def test_out_of_range_ids_are_refused_naming_the_layer_and_range(bad):
    layer, _ = _embedding(name="word_vectors")
    with pytest.raises(ValueError, match="word_vectors") as info:
        layer(np.array([[0, bad, 2]]))
    message = str(info.value)
    assert str(bad) in message
    assert "[0, 6)" in message


def test_out_of_range_checked_after_the_last_valid_id():
    layer, table = _embedding()
    np.testing.assert_array_equal(np.asarray(layer(np.array([5]))), table[[5]])  # input_dim - 1 is valid


def test_string_ids_are_refused_with_a_value_error_naming_the_layer():
    layer, _ = _embedding(name="word_vectors")
    with pytest.raises(ValueError, match="word_vectors"):
        layer(np.array([["the", "cat"]]))


def test_string_ids_are_refused_naming_the_layer():
    layer, _ = _embedding(name="word_vectors")
    with pytest.raises((TypeError, ValueError), match="word_vectors"):
        layer(np.array([["the", "cat"]]))


def test_float64_ids_are_checked_before_any_cast():
    layer, _ = _embedding(name="word_vectors")
    with pytest.raises(ValueError, match="word_vectors"):
        layer(np.array([[1.0 + 1e-8]]))


# ---- constructor ------------------------------------------------------------------------


@pytest.mark.parametrize("argument", ["input_dim", "output_dim"])
@pytest.mark.parametrize("value", [0, -3, 2.5, "8", None, True])
def test_invalid_dims_are_refused(argument, value):
    kwargs = {"input_dim": 10, "output_dim": 4, argument: value}
    with pytest.raises(ValueError, match=f"`{argument}` must be a positive integer"):
        layers.Embedding(**kwargs)


def test_numpy_integer_dims_are_accepted():
    layer = layers.Embedding(np.int64(7), np.int32(2))
    assert (layer.input_dim, layer.output_dim) == (7, 2)
    assert type(layer.input_dim) is int


@pytest.mark.parametrize("wrap", [lambda t: t, lambda t: [t]])
def test_weights_argument_sets_the_table(wrap):
    table = np.arange(12, dtype=np.float32).reshape(4, 3)
    layer = layers.Embedding(4, 3, weights=wrap(table))
    assert layer.built
    np.testing.assert_array_equal(np.asarray(layer.embeddings), table)
    np.testing.assert_array_equal(np.asarray(layer(np.array([[3, 1]]))), table[[[3, 1]]])


def test_weights_argument_of_the_wrong_shape_names_the_layer():
    with pytest.raises(ValueError, match="vectors"):
        layers.Embedding(4, 3, weights=np.zeros((3, 4)), name="vectors")


def test_input_length_is_deprecated_with_a_warning():
    with pytest.warns(UserWarning, match="Argument `input_length` is deprecated"):
        layer = layers.Embedding(10, 4, input_length=5)
    assert "input_length" not in layer.get_config()


def test_lora_is_refused():
    with pytest.raises(ValueError, match="LoRA"):
        layers.Embedding(10, 4, lora_rank=2)


# ---- config -----------------------------------------------------------------------------


def test_get_config_equals_keras():
    config = layers.Embedding(10, 4).get_config()
    assert config == KERAS_EMBEDDING_CONFIG
    assert list(config) == list(KERAS_EMBEDDING_CONFIG)


def test_get_config_json_equals_keras():
    assert json.dumps(layers.Embedding(10, 4).get_config()) == json.dumps(KERAS_EMBEDDING_CONFIG)


def test_from_config_round_trip():
    layer = layers.Embedding(7, 2, mask_zero=True, embeddings_regularizer="l2", name="tokens")
    config = layer.get_config()
    assert config["mask_zero"] is True
    assert config["embeddings_regularizer"]["class_name"] == "L2"
    clone = layers.Embedding.from_config(config)
    assert clone.get_config() == config
    ids = np.array([[0, 6, 3]])
    layer(ids)
    clone(ids)
    clone.set_weights(layer.get_weights())
    out = clone(ids)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(layer(ids)))
    np.testing.assert_array_equal(out._keras_mask, [[False, True, True]])


def test_from_keras_config_dict():
    layer = layers.Embedding.from_config(KERAS_EMBEDDING_CONFIG)
    assert (layer.name, layer.input_dim, layer.output_dim, layer.mask_zero) == ("embedding", 10, 4, False)
    assert layer.get_config() == KERAS_EMBEDDING_CONFIG
