"""IndexLookup (npkeras/layers/preprocessing/index_lookup.py), the table behind StringLookup and IntegerLookup:
Keras's vocabulary order, special tokens, errors and assets."""

import numpy as np
import pytest

import npkeras as keras


def test_adapt_orders_by_count_then_token_from_high_to_low():
    layer = keras.layers.StringLookup()
    layer.adapt(["b", "a", "c", "a", "c", "d"])
    assert layer.get_vocabulary() == ["[UNK]", "c", "a", "d", "b"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["c", "a", "d", "b"]
    assert layer.vocabulary_size() == 5
    np.testing.assert_array_equal(np.asarray(layer(np.array([["a", "b", "zz"]]))), [[2, 4, 0]])


def test_adapt_on_batches_accumulates_counts():
    layer = keras.layers.IntegerLookup(max_tokens=3)
    layer.adapt(iter([np.array([7, 7, 1]), np.array([1, 1, 9])]))
    assert layer.get_vocabulary() == [-1, 1, 7]


def test_a_string_input_model_predicts_the_lookup():
    layer = keras.layers.StringLookup(vocabulary=["x", "y"], mask_token="")
    inputs = keras.Input(shape=(2,), dtype="string")
    outputs = layer(inputs)
    assert outputs.shape == (None, 2) and outputs.dtype == "int64"
    model = keras.Model(inputs, outputs)
    np.testing.assert_array_equal(model.predict([["y", ""], ["q", "x"]], verbose=0), [[3, 0], [1, 2]])


def test_one_hot_lookup_in_a_model_has_the_vocabulary_depth():
    inputs = keras.Input(shape=(1,), dtype="string")
    outputs = keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode="one_hot")(inputs)
    assert outputs.shape == (None, 4) and outputs.dtype == "int64"


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="`max_tokens` must be greater than 1"):
        keras.layers.StringLookup(max_tokens=1)
    with pytest.raises(ValueError, match="`output_mode` must be `'int'` when `invert` is true"):
        keras.layers.StringLookup(invert=True, output_mode="one_hot")
    with pytest.raises(ValueError, match="repeated term"):
        keras.layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="larger than the maximum vocab size"):
        keras.layers.StringLookup(vocabulary=["a", "b", "c"], max_tokens=3)
    with pytest.raises(ValueError, match="output_mode"):
        keras.layers.IntegerLookup(output_mode="dense")
    with pytest.raises(ValueError, match="Cannot adapt layer"):
        keras.layers.StringLookup(vocabulary=["a"]).adapt(["b"])
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        keras.layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["b"]))


def test_vocabulary_file_needs_unsafe_mode(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("red\ngreen\n", encoding="utf-8")
    with pytest.raises(ValueError, match="outside of the model archive"):
        keras.layers.StringLookup(vocabulary=str(path))
    with keras.saving.registration.safe_mode_scope(False):
        layer = keras.layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "red", "green"]


def test_save_and_load_assets_round_trip_the_adapted_vocabulary(tmp_path):
    layer = keras.layers.IntegerLookup(mask_token=0)
    layer.adapt(np.array([3, 3, 8, 5, 5, 5]))
    layer.save_assets(str(tmp_path))
    assert (tmp_path / "vocabulary.txt").read_text() == "0\n-1\n5\n3\n8"
    fresh = keras.layers.IntegerLookup(mask_token=0)
    fresh.load_assets(str(tmp_path))
    assert fresh.get_vocabulary() == [0, -1, 5, 3, 8]
    np.testing.assert_array_equal(np.asarray(fresh(np.array([8, 0, 4]))), [4, 0, 1])


def test_tf_idf_weights_round_trip_through_a_keras_file(tmp_path):
    layer = keras.layers.StringLookup(output_mode="tf_idf", max_tokens=6, pad_to_max_tokens=True)
    layer.adapt(np.array([["a", "b"], ["a", "c"], ["a", "a"]]))
    inputs = keras.Input(shape=(2,), dtype="string")
    model = keras.Model(inputs, layer(inputs))
    model.save(tmp_path / "idf.keras")
    loaded = keras.saving.load_model(tmp_path / "idf.keras")
    x = np.array([["a", "c"], ["b", "zz"]])
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.predict(x, verbose=0).shape == (2, 6) and model.predict(x, verbose=0)[0, 1] > 0
