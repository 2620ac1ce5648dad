"""The `npkeras` command: `npkeras train cnn --epochs 10 --batch-size 32` (or `mlp`)."""

import argparse
import sys


def _build_mlp():
    from npkeras import layers, models

    return models.Sequential(
        [
            layers.Flatten(input_shape=(28, 28)),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    ), (28, 28)


def _build_cnn():
    """The notes' §1.2 CNN."""
    from npkeras import layers, models

    return models.Sequential(
        [
            layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    ), (28, 28, 1)


MODELS = {"mlp": _build_mlp, "cnn": _build_cnn}


def train(args):
    import numpy as np

    import npkeras
    from npkeras.datasets import fashion_mnist

    npkeras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(args.data)
    model, shape = MODELS[args.model]()
    if args.ntrain:
        x_train, y_train = x_train[: args.ntrain], y_train[: args.ntrain]
    x_train = (x_train.astype(np.float32) / np.float32(255)).reshape((-1,) + shape)
    x_test = (x_test.astype(np.float32) / np.float32(255)).reshape((-1,) + shape)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.summary()
    model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size, verbose=args.verbose)
    test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
    print(f"\nTest loss: {test_loss:.4f}\nTest accuracy: {test_acc:.4f}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="npkeras", description="npkeras: the Keras API on NumPy.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="train one of the notes' models on Fashion-MNIST")
    p.add_argument("model", choices=sorted(MODELS))
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--verbose", type=int, default=1, choices=[0, 1, 2])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ntrain", type=int, default=0, help="train on the first N images only (0: all)")
    p.add_argument("--data", default=None, help="folder with the Fashion-MNIST IDX files")
    args = parser.parse_args(argv)
    try:
        return train(args)
    except FileNotFoundError as e:
        print(f"npkeras: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
