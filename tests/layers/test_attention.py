"""Attention and AdditiveAttention: masks from the inputs, returned scores, dropout, config and errors (values and
gradients against Keras are in test_keras_attention_reference.py)."""

import numpy as np
import pytest

import npkeras
from npkeras import layers

RNG = np.random.default_rng(0)


def test_dot_attention_equals_the_formula():
    q, v = RNG.standard_normal((2, 3, 4)).astype("float32"), RNG.standard_normal((2, 5, 4)).astype("float32")
    out, scores = layers.Attention()([q, v], return_attention_scores=True)
    z = q @ v.transpose(0, 2, 1)
    p = np.exp(z - z.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    np.testing.assert_allclose(np.asarray(scores), p, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(out), p @ v, rtol=1e-5, atol=1e-6)


def test_weights_of_each_kind():
    dot, concat, additive = layers.Attention(use_scale=True), layers.Attention(score_mode="concat"), None
    x = np.zeros((1, 2, 3), "float32")
    dot([x, x])
    concat([x, x])
    additive = layers.AdditiveAttention()
    additive([x, x])
    assert [(w.name, w.shape) for w in dot.weights] == [("scale", ())]
    assert [(w.name, w.shape) for w in concat.weights] == [("concat_score_weight", ())]
    assert [(w.name, w.shape) for w in additive.weights] == [("scale", (3,))]


@pytest.mark.parametrize("cls", [layers.Attention, layers.AdditiveAttention])
def test_masks_come_from_the_inputs_and_the_query_mask_passes_on(cls):
    ids = np.array([[1, 2, 3, 0], [4, 0, 0, 0]])
    x = layers.Embedding(5, 3, mask_zero=True)(ids)
    layer = cls()
    out, scores = layer([x, x], return_attention_scores=True)
    s = np.asarray(scores)
    np.testing.assert_allclose(s[0, :, 3], 0, atol=1e-7)
    np.testing.assert_allclose(s[1, :, 1:], 0, atol=1e-7)
    np.testing.assert_array_equal(np.asarray(out)[1, 1:], 0)  # masked query steps give zeros
    np.testing.assert_array_equal(out._keras_mask, ids != 0)
    explicit = layer([np.asarray(x), np.asarray(x)], mask=[ids != 0, ids != 0])
    np.testing.assert_allclose(np.asarray(explicit), np.asarray(out), rtol=1e-6)


def test_causal_mask_hides_later_steps():
    x = RNG.standard_normal((1, 4, 3)).astype("float32")
    _, scores = layers.Attention()([x, x], return_attention_scores=True, use_causal_mask=True)
    assert np.all(np.asarray(scores)[0][np.triu_indices(4, 1)] < 1e-7)


def test_dropout_only_in_training():
    x = npkeras.ops.convert_to_tensor(RNG.standard_normal((2, 4, 3)).astype("float32"))
    layer = layers.Attention(dropout=0.5, seed=2)
    inference = np.asarray(layer([x, x]))
    assert not np.allclose(np.asarray(layer([x, x], training=True)), inference)
    np.testing.assert_array_equal(np.asarray(layer([x, x], training=False)), inference)


def test_in_a_functional_model():
    q, v = npkeras.Input((3, 4)), npkeras.Input((5, 4))
    out = layers.AdditiveAttention()([q, v])
    assert out.shape == (None, 3, 4)
    model = npkeras.Model([q, v], out)
    qa, va = RNG.standard_normal((2, 3, 4)).astype("float32"), RNG.standard_normal((2, 5, 4)).astype("float32")
    assert model.predict([qa, va], verbose=0).shape == (2, 3, 4)


def test_config_round_trips():
    for layer in (
        layers.Attention(use_scale=True, score_mode="concat", dropout=0.2, seed=4),
        layers.AdditiveAttention(),
    ):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    assert "score_mode" not in layers.AdditiveAttention().get_config()


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="Expected one of {'dot', 'concat'}. Received: score_mode=cosine"):
        layers.Attention(score_mode="cosine")
    x = np.zeros((1, 2, 3), "float32")
    with pytest.raises(ValueError, match="Attention layer must be called on a list of inputs"):
        layers.Attention()(x)
    with pytest.raises(ValueError, match="accepts inputs list of length 2 or 3"):
        layers.AdditiveAttention()([x])
    with pytest.raises(ValueError, match="mask must be a list"):
        layers.Attention()([x, x], mask=np.ones((1, 2), bool))
