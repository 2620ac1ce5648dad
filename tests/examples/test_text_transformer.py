"""keras-io's text-classification Transformer, written as its users write it (custom TransformerBlock and
TokenAndPositionEmbedding layers, MultiHeadAttention, LayerNormalization, a Sequential feed-forward block,
ops.arange positions), runs unchanged on npkeras: Keras's parameter count and weight shapes, and it learns a
task that needs the order of tokens."""

import numpy as np

import npkeras as keras
from npkeras import layers, ops

MAXLEN, VOCAB, EMBED_DIM, NUM_HEADS, FF_DIM = 12, 30, 16, 2, 32
KERAS_PARAMS = 4350  # keras.Model.count_params() of this model in Keras 3.15.1 (TensorFlow backend)


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions


def text_transformer():
    inputs = layers.Input(shape=(MAXLEN,))
    x = TokenAndPositionEmbedding(MAXLEN, VOCAB, EMBED_DIM)(inputs)
    x = TransformerBlock(EMBED_DIM, NUM_HEADS, FF_DIM)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def order_task(n, seed):
    """Sequences of filler tokens holding token 1 and token 2 once each: the label says whether 1 comes first."""
    rng = np.random.default_rng(seed)
    x = rng.integers(3, VOCAB, (n, MAXLEN))
    where = np.argsort(rng.random((n, MAXLEN)), axis=1)[:, :2]
    x[np.arange(n), where[:, 0]] = 1
    x[np.arange(n), where[:, 1]] = 2
    return x, (where[:, 0] < where[:, 1]).astype("int32")


def test_parameter_count_and_weight_shapes_equal_keras():
    model = text_transformer()
    assert model.count_params() == KERAS_PARAMS
    shapes = [tuple(w.shape) for w in model.weights]
    d, h = EMBED_DIM, NUM_HEADS
    assert shapes[:10] == [
        (VOCAB, d), (MAXLEN, d),  # token and position embeddings
        (d, h, d), (h, d), (d, h, d), (h, d), (d, h, d), (h, d), (h, d, d), (d,),  # query, key, value, output
    ]  # fmt: skip


def test_it_learns_which_token_comes_first():
    keras.utils.set_random_seed(0)
    x, y = order_task(2000, seed=0)
    model = text_transformer()
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x[:1600], y[:1600], batch_size=32, epochs=12, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 3
    _, accuracy = model.evaluate(x[1600:], y[1600:], verbose=0)
    assert accuracy > 0.93  # chance is 0.5; a bag of tokens without positions cannot do better
