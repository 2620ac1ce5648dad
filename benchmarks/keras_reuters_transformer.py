"""keras-io's text-classification Transformer recipe on Reuters top-10: one script for npkeras and Keras-TensorFlow.

The recipe: token and position embeddings (32 wide) over 200 tokens, one Transformer block (MultiHeadAttention with
2 heads of key_dim 32, Dropout 0.1, LayerNormalization(epsilon=1e-6), a Dense(32, relu) -> Dense(32) feed-forward,
residuals), GlobalAveragePooling1D, Dropout 0.1, Dense(20, relu), Dropout 0.1, Dense(10, softmax); Adam,
sparse categorical cross-entropy. Only the import differs between the two libraries.
Usage (from the anchors folder, whose reuters.py reads $REUTERS_DIR):
  python keras_reuters_transformer.py LIB EPOCHS BATCH      LIB: npkeras | keras   (prints one JSON line)
Environment: NTRAIN (subset size), SEED (default 0).
"""

import json
import os
import sys
import time

from keras_library import epoch_timer, import_keras

LIB = sys.argv[1] if len(sys.argv) > 1 else "npkeras"
keras = import_keras(LIB)
layers, ops = keras.layers, keras.ops
sys.path.insert(0, os.getcwd())  # the anchors folder: its reuters.py
from reuters import load  # noqa: E402

MAXLEN, VOCAB, EMBED_DIM, HEADS, FF_DIM, CLASSES = 200, 10000, 32, 2, 32, 10


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.feed_forward = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.norm_1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm_2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout_1 = layers.Dropout(rate)
        self.dropout_2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attended = self.dropout_1(self.attention(inputs, inputs), training=training)
        x = self.norm_1(inputs + attended)
        return self.norm_2(x + self.dropout_2(self.feed_forward(x), training=training))


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.tokens = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.positions = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        return self.tokens(x) + self.positions(ops.arange(0, ops.shape(x)[-1], 1))


def build():
    inputs = layers.Input(shape=(MAXLEN,))
    x = TokenAndPositionEmbedding(MAXLEN, VOCAB, EMBED_DIM)(inputs)
    x = TransformerBlock(EMBED_DIM, HEADS, FF_DIM)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    return keras.Model(inputs=inputs, outputs=layers.Dense(CLASSES, activation="softmax")(x))


def main():
    epochs, batch = int(sys.argv[2]), int(sys.argv[3])
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    (x_tr, y_tr), (x_te, y_te), _ = load(num_words=VOCAB, maxlen=MAXLEN)
    ntrain = int(os.environ.get("NTRAIN", len(x_tr)))
    x_tr, y_tr = x_tr[:ntrain], y_tr[:ntrain]
    model = build()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = epoch_timer(keras)
    model.fit(x_tr, y_tr, epochs=epochs, batch_size=batch, verbose=0, callbacks=[timer])
    start = time.perf_counter()
    _, accuracy = model.evaluate(x_te, y_te, batch_size=256, verbose=0)
    eval_s = time.perf_counter() - start
    result = {
        "lib": "npkeras" if LIB == "npkeras" else "tf",
        "model": "transformer",
        "epochs": epochs,
        "batch": batch,
        "ntrain": len(x_tr),
        "ntest": len(x_te),
        "params": model.count_params(),
        "epoch_s": [round(t, 3) for t in timer.times],
        "test_acc": round(float(accuracy), 4),
        "eval_s": round(eval_s, 3),
        "train_samples_per_s": round(len(x_tr) / min(timer.times), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
