"""Notes §2.5 (optimization): SGD, SGD with momentum, RMSprop and Adam on the notes' §2.1 MLP, same seed each.

Each optimizer trains the same model from the same initial weights on the same batches; the script prints
each one's loss per epoch and test accuracy, and saves their training-loss curves to a PNG (matplotlib:
pip install "npkeras[plots]"). The notes' momentum form v = beta v + (1 - beta) grad, theta -= alpha v is
Keras's SGD(momentum=beta) with learning_rate = alpha (1 - beta): with alpha = 0.1 and beta = 0.9 that is
SGD(learning_rate=0.01, momentum=0.9).
Run: python examples/optimizer_comparison.py [EPOCHS] [NTRAIN] [PNG]
"""

import sys

import npkeras

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ntrain = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
png = sys.argv[3] if len(sys.argv) > 3 else "optimizer_comparison.png"

(x_train, y_train), (x_test, y_test) = npkeras.datasets.fashion_mnist.load_data()
x_train, y_train, x_test = x_train[:ntrain] / 255.0, y_train[:ntrain], x_test / 255.0

OPTIMIZERS = {
    "SGD": lambda: npkeras.optimizers.SGD(learning_rate=0.01),
    "SGD + momentum": lambda: npkeras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
    "RMSprop": lambda: npkeras.optimizers.RMSprop(learning_rate=0.001),
    "Adam": lambda: npkeras.optimizers.Adam(learning_rate=0.001),
}

curves = {}
for name, make_optimizer in OPTIMIZERS.items():
    npkeras.utils.set_random_seed(0)  # the same initial weights and batch order for every optimizer
    model = npkeras.Sequential(
        [
            npkeras.layers.Flatten(input_shape=(28, 28)),
            npkeras.layers.Dense(128, activation="relu"),
            npkeras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer=make_optimizer(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    curves[name] = history.history["loss"]
    losses = " ".join(f"{v:.4f}" for v in curves[name])
    print(f"{name:15s} loss per epoch: {losses}   test accuracy: {accuracy:.4f}")

try:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print('No plot: matplotlib is not installed (pip install "npkeras[plots]").')
else:
    figure, axes = plt.subplots(figsize=(6, 4))
    for name, values in curves.items():
        axes.plot(range(1, epochs + 1), values, marker="o", label=name)
    axes.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    axes.set(xlabel="epoch", ylabel="training loss", title=f"The notes' MLP on Fashion-MNIST ({ntrain} images)")
    axes.legend()
    figure.tight_layout()
    figure.savefig(png)
    print(f"Saved the loss curves to {png}")
