"""MultiHeadAttention (and its HeadProjection sublayers): Keras's weights and their paths, masks from the inputs,
returned scores, dropout, functional use, config and errors (values and gradients against Keras are in
test_keras_attention_reference.py)."""

import warnings

import numpy as np
import pytest

import npkeras
from npkeras import layers

RNG = np.random.default_rng(0)


def test_weights_in_keras_order_shapes_and_paths():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4, output_shape=5)
    mha(np.zeros((2, 4, 6), "float32"), np.zeros((2, 7, 8), "float32"), key=np.zeros((2, 7, 9), "float32"))
    assert [(w.path, w.shape) for w in mha.weights] == [
        ("multi_head_attention/query/kernel", (6, 2, 3)),
        ("multi_head_attention/query/bias", (2, 3)),
        ("multi_head_attention/key/kernel", (9, 2, 3)),
        ("multi_head_attention/key/bias", (2, 3)),
        ("multi_head_attention/value/kernel", (8, 2, 4)),
        ("multi_head_attention/value/bias", (2, 4)),
        ("multi_head_attention/attention_output/kernel", (2, 4, 5)),
        ("multi_head_attention/attention_output/bias", (5,)),
    ]
    assert mha.get_build_config() == {
        "shapes_dict": {"query_shape": [None, 4, 6], "value_shape": [None, 7, 8], "key_shape": [None, 7, 9]}
    }


def test_equals_the_attention_formula():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = RNG.standard_normal((2, 4, 5)).astype("float32"), RNG.standard_normal((2, 6, 5)).astype("float32")
    y = np.asarray(mha(q, v))
    wq, bq, wk, bk, wv, bv, wo, bo = mha.get_weights()
    qh = np.einsum("btd,dhk->bthk", q, wq) + bq
    kh = np.einsum("bsd,dhk->bshk", v, wk) + bk
    vh = np.einsum("bsd,dhk->bshk", v, wv) + bv
    z = np.einsum("bthk,bshk->bhts", qh, kh) / np.sqrt(3)
    p = np.exp(z - z.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    expected = np.einsum("bthk,hkd->btd", np.einsum("bhts,bshk->bthk", p, vh), wo) + bo
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_keras_masks_of_query_and_value_are_used_and_the_query_mask_passes_on():
    ids = np.array([[4, 2, 3, 0, 0], [1, 2, 3, 4, 1]])
    embedding = layers.Embedding(6, 8, mask_zero=True)
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    x = embedding(ids)
    y = mha(x, x)
    np.testing.assert_array_equal(y._keras_mask, ids != 0)
    # what sits at padded steps does not reach the other steps
    changed = ids.copy()
    changed[0, 3:] = 5
    x2 = embedding(changed)
    y2 = mha(x2, x2, value_mask=ids != 0)
    np.testing.assert_allclose(np.asarray(y2)[0, :3], np.asarray(y)[0, :3], rtol=1e-5)


def test_returned_scores_and_causal_mask():
    mha = layers.MultiHeadAttention(num_heads=3, key_dim=2)
    x = RNG.standard_normal((2, 4, 5)).astype("float32")
    y, scores = mha(x, x, return_attention_scores=True, use_causal_mask=True)
    assert scores.shape == (2, 3, 4, 4)
    s = np.asarray(scores)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-5)
    assert np.all(s[..., np.triu_indices(4, 1)[0], np.triu_indices(4, 1)[1]] == 0)
    np.testing.assert_allclose(np.asarray(y), np.asarray(mha(x, x, use_causal_mask=True)), rtol=1e-6)


def test_dropout_only_in_training_and_gradients_flow():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=1)
    x = npkeras.ops.convert_to_tensor(RNG.standard_normal((2, 4, 5)).astype("float32"))
    inference = np.asarray(mha(x, x))
    np.testing.assert_array_equal(np.asarray(mha(x, x, training=False)), inference)
    with npkeras.GradientTape() as tape:
        tape.watch(x)
        trained = mha(x, x, training=True)
        loss = npkeras.ops.sum(trained * trained)
    assert not np.allclose(np.asarray(trained), inference)
    grads = tape.gradient(loss, [x] + mha.trainable_weights)
    assert all(g is not None and np.all(np.isfinite(np.asarray(g))) for g in grads)


def test_in_a_functional_model_with_key_and_attention_mask_inputs():
    query, value = npkeras.Input((4, 6)), npkeras.Input((5, 6))
    mask = npkeras.Input((4, 5), dtype="bool")
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, output_shape=(2, 3))
    out = mha(query, value, key=value, attention_mask=mask)
    assert out.shape == (None, 4, 2, 3)
    model = npkeras.Model([query, value, mask], out)
    q, v = RNG.standard_normal((3, 4, 6)).astype("float32"), RNG.standard_normal((3, 5, 6)).astype("float32")
    m = RNG.random((3, 4, 5)) > 0.3
    np.testing.assert_allclose(
        model.predict([q, v, m], verbose=0), np.asarray(mha(q, v, key=v, attention_mask=m)), rtol=1e-5
    )


def test_config_round_trip():
    mha = layers.MultiHeadAttention(4, 8, value_dim=2, dropout=0.1, output_shape=3, attention_axes=1, seed=3)
    config = mha.get_config()
    assert config["output_shape"] == (3,) and config["attention_axes"] == (1,)
    assert layers.MultiHeadAttention.from_config(config).get_config() == config
    restored = layers.deserialize(layers.serialize(mha))
    assert type(restored) is layers.MultiHeadAttention and restored.get_config() == config


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="`num_heads`, expected a positive integer. Received: num_heads=0"):
        layers.MultiHeadAttention(0, 2)
    with pytest.raises(ValueError, match="`key_dim`, expected a positive integer"):
        layers.MultiHeadAttention(2, 2.5)
    with pytest.raises(ValueError, match="`value_dim`, expected a positive integer or `None`"):
        layers.MultiHeadAttention(2, 2, value_dim=-1)
    with pytest.raises(ValueError, match="`attention_axes` must be an int, list, or tuple"):
        layers.MultiHeadAttention(2, 2, attention_axes="time")
    with pytest.raises(ValueError, match="All dimensions of `value` and `key`, except the last one, must be equal"):
        layers.MultiHeadAttention(2, 2)(np.zeros((1, 3, 4)), np.zeros((1, 5, 4)), key=np.zeros((1, 6, 4)))
    with pytest.raises(ValueError, match="attends over the steps axis only"):
        layers.MultiHeadAttention(2, 2, attention_axes=(2,))(np.zeros((1, 3, 4)), np.zeros((1, 5, 4)))


def test_called_with_keywords_as_keras_allows():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    q, v = RNG.standard_normal((1, 3, 4)).astype("float32"), RNG.standard_normal((1, 5, 4)).astype("float32")
    np.testing.assert_allclose(np.asarray(mha(query=q, value=v, key=v)), np.asarray(mha(q, v)), rtol=1e-6)
    with pytest.raises(ValueError, match="needs both `query` and `value`"):
        mha(q)


def test_a_masked_model_with_attention_dropout_learns():
    npkeras.utils.set_random_seed(0)
    ids = npkeras.Input((6,), dtype="int32")
    x = layers.Embedding(10, 8, mask_zero=True)(ids)
    x = layers.LayerNormalization()(layers.Add()([x, layers.MultiHeadAttention(2, 4, dropout=0.1)(x, x)]))
    model = npkeras.Model(ids, layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling1D()(x)))
    rng = np.random.default_rng(0)
    data = rng.integers(1, 10, (256, 6))
    data[np.arange(256) % 2 == 0, 4:] = 0  # padding
    labels = (data == 3).any(axis=1).astype("int32")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(data, labels, epochs=25, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.9


def test_it_supports_masking_as_keras_does_without_a_warning_and_the_scores_get_no_mask():
    x = layers.Embedding(6, 4, mask_zero=True)(np.array([[4, 2, 0]]))
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    assert mha.supports_masking
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y, scores = mha(x, x, return_attention_scores=True)
    np.testing.assert_array_equal(y._keras_mask, [[True, True, False]])
    assert scores._keras_mask is None
    assert x._keras_mask is None  # as Keras: the layer takes the masks off its inputs


def test_building_takes_the_names_of_keras_softmax_and_dropout_sublayers():
    """After one built MultiHeadAttention, Keras 3.15 names the next layers softmax_1 and dropout_1."""
    x = np.ones((1, 3, 5), "float32")
    layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    assert (layers.Softmax().name, layers.Dropout(0.5).name, layers.Dense(1).name) == (
        "softmax_1",
        "dropout_1",
        "dense",
    )
