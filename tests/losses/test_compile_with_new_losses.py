"""compile() with each new loss and metric by its string identifier: a short fit lowers the loss, and evaluate()
reports what the loss or metric gives on the model's predictions."""

import numpy as np
import pytest

import npkeras as keras
from npkeras import losses, metrics

RNG = np.random.default_rng(0)
X = RNG.normal(size=(32, 4)).astype("float32")
LABELS = (X[:, 0] + 0.5 * X[:, 1] > 0).astype("int64")
CLASSES = (X[:, :3].argmax(axis=1)).astype("int64")
DATA = {  # (targets, output units, output activation)
    "binary": (LABELS[:, None].astype("float32"), 1, "sigmoid"),
    "plus_minus": ((2 * LABELS - 1)[:, None].astype("float32"), 1, "tanh"),
    "onehot": (np.eye(3, dtype="float32")[CLASSES], 3, "softmax"),
    "sparse": (CLASSES, 3, "softmax"),
    "regression": ((X[:, :2] @ [[1.0, 0.5], [-0.5, 1.0]] + 3.0).astype("float32"), 2, None),
    "counts": (np.round(np.exp(0.3 * X[:, :2])).astype("float32"), 2, "softplus"),
}
LOSSES = {
    "hinge": "plus_minus",
    "Hinge": "binary",
    "squared_hinge": "plus_minus",
    "categorical_hinge": "onehot",
    "kl_divergence": "onehot",
    "kld": "onehot",
    "KLD": "onehot",
    "KLDivergence": "onehot",
    "poisson": "counts",
    "cosine_similarity": "regression",
    "mean_absolute_percentage_error": "regression",
    "mape": "regression",
    "MAPE": "regression",
    "mean_squared_logarithmic_error": "counts",
    "msle": "counts",
    "MSLE": "counts",
    "log_cosh": "regression",
    "LogCosh": "regression",
    "dice": "binary",
    "Dice": "binary",
    "tversky": "binary",
    "binary_focal_crossentropy": "binary",
    "BinaryFocalCrossentropy": "binary",
    "categorical_focal_crossentropy": "onehot",
    "bce": "binary",
}
METRICS = {
    "hinge": "plus_minus",
    "squared_hinge": "plus_minus",
    "categorical_hinge": "onehot",
    "kl_divergence": "onehot",
    "poisson": "counts",
    "cosine_similarity": "regression",
    "mape": "regression",
    "mean_absolute_percentage_error": "regression",
    "msle": "counts",
    "log_cosh_error": "regression",
    "root_mean_squared_error": "regression",
    "r2_score": "regression",
    "binary_crossentropy": "binary",
    "bce": "binary",
    "categorical_crossentropy": "onehot",
    "sparse_categorical_crossentropy": "sparse",
    "binary_io_u": "binary",
}


def model_for(data):
    _, units, activation = DATA[data]
    keras.utils.set_random_seed(1)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, activation=activation)])


@pytest.mark.parametrize("name", LOSSES)
def test_fit_with_a_loss_by_name_lowers_it_and_evaluate_reports_it(name):
    y = DATA[LOSSES[name]][0]
    model = model_for(LOSSES[name])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss=name)
    before = model.evaluate(X, y, batch_size=len(X), verbose=0)
    history = model.fit(X, y, epochs=4, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    after = model.evaluate(X, y, batch_size=len(X), verbose=0)
    assert after < before
    expected = np.asarray(losses.get(name)(y, model.predict(X, verbose=0)))
    np.testing.assert_allclose(after, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", METRICS)
def test_compile_with_a_metric_by_name_logs_it(name):
    y = DATA[METRICS[name]][0]
    model = model_for(METRICS[name])
    loss = "sparse_categorical_crossentropy" if METRICS[name] == "sparse" else "mse"
    model.compile(optimizer="sgd", loss=loss, metrics=[name])
    model.fit(X, y, epochs=1, batch_size=8, verbose=0)
    logs = model.evaluate(X, y, batch_size=8, verbose=0, return_dict=True)
    expected = metrics.get(name)(y, model.predict(X, verbose=0))
    np.testing.assert_allclose(logs[name], expected, rtol=1e-5, atol=1e-6)


def test_unknown_loss_name_lists_the_new_ones():
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 'hinj'.*categorical_hinge"):
        losses.get("hinj")
