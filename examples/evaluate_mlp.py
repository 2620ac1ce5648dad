"""Notes §1.4 (evaluation): the notes' §2.1 MLP judged by accuracy, precision, recall, F1 and a confusion matrix.

Trains the MLP with precision, recall and macro F1 as compiled metrics, prints the test set's classification
report, and saves two plots: the training curves (train vs validation, per epoch) and the confusion matrix
(matplotlib: pip install "npkeras[plots]").
Run: python examples/evaluate_mlp.py [EPOCHS] [NTRAIN] [OUTPUT_FOLDER]
"""

import sys
from pathlib import Path

import npkeras
from npkeras.datasets.fashion_mnist import CLASS_NAMES

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ntrain = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
out = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(".")

(x_train, y_train), (x_test, y_test) = npkeras.datasets.fashion_mnist.load_data()
x_train, y_train, x_test = x_train[:ntrain] / 255.0, y_train[:ntrain], x_test / 255.0
y_train_onehot = npkeras.utils.to_categorical(y_train, 10)

npkeras.utils.set_random_seed(0)
model = npkeras.Sequential(
    [
        npkeras.layers.Flatten(input_shape=(28, 28)),
        npkeras.layers.Dense(128, activation="relu"),
        npkeras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(
    optimizer="adam",
    loss="categorical_crossentropy",
    metrics=[
        "accuracy",
        npkeras.metrics.Precision(),
        npkeras.metrics.Recall(),
        npkeras.metrics.F1Score(average="macro"),
    ],
)
history = model.fit(x_train, y_train_onehot, epochs=epochs, validation_split=0.1, verbose=2)

y_pred = model.predict(x_test, verbose=0).argmax(axis=1)
print(npkeras.evaluation.classification_report(y_test, y_pred, target_names=CLASS_NAMES, digits=4))
npkeras.evaluation.plot_history(history, path=out / "mlp_history.png")
npkeras.evaluation.plot_confusion_matrix(y_test, y_pred, class_names=CLASS_NAMES, normalize="true",
                                         path=out / "mlp_confusion_matrix.png")  # fmt: skip
print(f"Saved {out / 'mlp_history.png'} and {out / 'mlp_confusion_matrix.png'}")
