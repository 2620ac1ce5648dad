"""The scikit-learn wrappers on real learnable problems: cross-validation, grid search, pipelines."""

import subprocess
import sys

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_iris, make_classification  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

import npkeras  # noqa: E402
from npkeras import layers  # noqa: E402
from npkeras.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer  # noqa: E402

QUIET = {"batch_size": 16, "verbose": 0}


def mlp_classifier(X, y, hidden=16, lr=0.05):
    """A model function as the wrapper calls it: X and the one-hot y fix the input and output sizes."""
    model = npkeras.Sequential(
        [
            layers.Input((X.shape[1],)),
            layers.Dense(hidden, activation="relu"),
            layers.Dense(y.shape[1], activation="softmax"),
        ]
    )
    model.compile(optimizer=npkeras.optimizers.Adam(learning_rate=lr), loss="categorical_crossentropy")
    return model


def linear_regressor(X, y, lr=0.05):
    model = npkeras.Sequential([layers.Input((X.shape[1],)), layers.Dense(y.shape[1])])
    model.compile(optimizer=npkeras.optimizers.Adam(learning_rate=lr), loss="mse")
    return model


@pytest.fixture
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture
def linear_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + rng.normal(scale=0.05, size=200)
    return X, y


def test_cross_val_score_of_a_pipeline_on_iris():
    X, y = load_iris(return_X_y=True)
    pipe = Pipeline(
        [("scale", StandardScaler()), ("net", SKLearnClassifier(mlp_classifier, fit_kwargs={"epochs": 30, **QUIET}))]
    )
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,)
    assert scores.mean() > 0.85  # chance is 1/3


def test_grid_search_over_fit_and_model_kwargs():
    X, y = make_classification(n_samples=240, n_features=6, n_informative=4, n_redundant=0, random_state=0)
    pipe = Pipeline([("scale", StandardScaler()), ("net", SKLearnClassifier(mlp_classifier, model_kwargs={}))])
    grid = GridSearchCV(
        pipe,
        {
            "net__fit_kwargs": [{"epochs": 1, **QUIET}, {"epochs": 25, **QUIET}],
            "net__model_kwargs": [{"hidden": 8, "lr": 0.001}, {"hidden": 16, "lr": 0.05}],
        },
        cv=3,
    )
    grid.fit(X, y)
    assert grid.best_params_["net__fit_kwargs"]["epochs"] == 25
    assert grid.best_params_["net__model_kwargs"] == {"hidden": 16, "lr": 0.05}
    assert grid.best_score_ > 0.8  # chance is 1/2
    assert grid.score(X, y) > 0.85
    assert grid.best_estimator_.named_steps["net"].model_.optimizer is not None


def test_string_labels_come_back_as_labels(iris):
    X, y = iris
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    est = SKLearnClassifier(mlp_classifier, fit_kwargs={"epochs": 30, **QUIET}).fit(X, labels)
    assert list(est.classes_) == ["setosa", "versicolor", "virginica"]
    assert est.n_features_in_ == 4
    pred = est.predict(X)
    assert pred.shape == (150,) and set(pred) <= set(labels)
    assert np.mean(pred == labels) > 0.9
    assert est.score(X, labels) == pytest.approx(np.mean(pred == labels))
    raw = est.decision_function(X)  # the model's softmax outputs, columns in classes_ order
    assert raw.shape == (150, 3)
    np.testing.assert_allclose(raw.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(est.classes_[raw.argmax(axis=1)], pred)
    assert not hasattr(est, "predict_proba")  # as in Keras: decision_function gives the raw outputs
    assert est.epoch_ == 30 and len(est.history_.history["loss"]) == 30
    assert est.history_.history["loss"][-1] < est.history_.history["loss"][0]


def test_binary_labels_are_one_hot_encoded():
    X, y = make_classification(n_samples=150, n_features=4, n_informative=3, n_redundant=0, random_state=1)
    seen = {}

    def build(X, y):
        seen["y"] = y
        return mlp_classifier(X, y)

    est = SKLearnClassifier(build, fit_kwargs={"epochs": 20, **QUIET}).fit(X, np.where(y == 1, "yes", "no"))
    assert seen["y"].shape == (150, 2)
    np.testing.assert_array_equal(seen["y"].argmax(axis=1), y)
    assert est.score(X, np.where(y == 1, "yes", "no")) > 0.8


def test_clone_keeps_parameters_and_drops_the_fit(iris):
    X, y = iris
    est = SKLearnClassifier(mlp_classifier, model_kwargs={"hidden": 8}, fit_kwargs={"epochs": 2, **QUIET})
    est.fit(X, y)
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert copy.model is mlp_classifier
    assert copy.model_kwargs is not est.model_kwargs and copy.fit_kwargs is not est.fit_kwargs
    assert not hasattr(copy, "model_")
    with pytest.raises(NotFittedError):
        copy.predict(X)
    copy.set_params(model_kwargs={"hidden": 4})
    copy.fit(X, y)
    assert copy.model_.layers[0].units == 4 and est.model_.layers[0].units == 8


def test_a_model_instance_is_cloned_with_fresh_weights(iris):
    X, y = iris
    model = mlp_classifier(X, np.zeros((1, 3)))
    before = [w.copy() for w in model.get_weights()]
    est = SKLearnClassifier(model, fit_kwargs={"epochs": 20, **QUIET}).fit(X, y)
    assert est.model_ is not model
    assert est.model_.get_compile_config()["loss"] == "categorical_crossentropy"
    for w, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, b)  # the given model is left untouched
    assert est.score(X, y) > 0.85
    assert clone(est).model is model


def test_warm_start_continues_training(iris):
    X, y = iris
    est = SKLearnClassifier(mlp_classifier, warm_start=True, model_kwargs={"lr": 0.01}, fit_kwargs=QUIET)
    est.fit(X, y, epochs=5)
    first_model, first_losses = est.model_, est.history_.history["loss"]
    est.fit(X, y, epochs=5)
    assert est.model_ is first_model
    second_losses = est.history_.history["loss"]
    assert second_losses[0] < first_losses[-1] * 1.05  # picks up where the first fit stopped
    assert est.fit_kwargs == QUIET  # fit()'s own kwargs do not leak into the parameters

    cold = SKLearnClassifier(mlp_classifier, model_kwargs={"lr": 0.01}, fit_kwargs=QUIET).fit(X, y, epochs=5)
    model = cold.model_
    cold.fit(X, y, epochs=5)
    assert cold.model_ is not model
    assert cold.history_.history["loss"][0] > second_losses[0] * 1.5  # a cold fit starts over


def test_warm_start_with_a_model_instance_trains_it_in_place(iris):
    X, y = iris
    model = mlp_classifier(X, np.zeros((1, 3)))
    est = SKLearnClassifier(model, warm_start=True, fit_kwargs={"epochs": 1, **QUIET})
    est.fit(X, y)
    assert est.model_ is model
    est.fit(X, y)
    assert est.model_ is model


def test_regressor_fits_a_linear_problem(linear_data):
    X, y = linear_data
    est = SKLearnRegressor(linear_regressor, fit_kwargs={"epochs": 60, **QUIET}).fit(X, y)
    pred = est.predict(X)
    assert pred.shape == (200,)
    assert np.mean((pred - y) ** 2) < 0.02
    assert est.score(X, y) > 0.99  # R^2
    kernel, bias = est.model_.get_weights()
    np.testing.assert_allclose(kernel[:, 0], [1.5, -2.0, 0.5], atol=0.05)
    np.testing.assert_allclose(bias, [0.3], atol=0.05)
    scores = cross_val_score(SKLearnRegressor(linear_regressor, fit_kwargs={"epochs": 60, **QUIET}), X, y, cv=3)
    assert scores.min() > 0.95


def test_transformer_returns_the_model_outputs(linear_data):
    X, y = linear_data
    est = SKLearnTransformer(linear_regressor, fit_kwargs={"epochs": 60, **QUIET})
    out = est.fit_transform(X, y)
    assert out.shape == (200, 1)
    np.testing.assert_allclose(out, est.model_.predict(X, verbose=0))
    assert np.mean((out[:, 0] - y) ** 2) < 0.02


def test_bad_models_get_clear_errors(iris):
    X, y = iris
    with pytest.raises(TypeError, match="must be an npkeras Model or a callable"):
        SKLearnClassifier(model=42).fit(X, y)

    def uncompiled(X, y):
        return npkeras.Sequential([layers.Input((4,)), layers.Dense(3, activation="softmax")])

    with pytest.raises(RuntimeError, match="needs to be compiled"):
        SKLearnClassifier(uncompiled).fit(X, y)
    with pytest.raises(TypeError, match="must be an npkeras Model"):
        SKLearnClassifier(lambda X, y: "not a model").fit(X, y)
    with pytest.raises(TypeError, match="model_kwargs"):
        SKLearnClassifier(mlp_classifier, model_kwargs=[1]).fit(X, y)

    class Uncloneable(npkeras.Model):
        def __init__(self, units):
            super().__init__()
            self.dense = layers.Dense(units, activation="softmax")

        def call(self, inputs, training=False):
            return self.dense(inputs)

    model = Uncloneable(3)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="Could not clone"):
        SKLearnClassifier(model).fit(X, y)


def test_bad_data_gets_clear_errors(iris, linear_data):
    X, y = iris
    est = SKLearnClassifier(mlp_classifier, fit_kwargs={"epochs": 1, **QUIET})
    with pytest.raises(NotFittedError):
        est.predict(X)
    with pytest.raises(ValueError, match="Only binary and multiclass"):
        est.fit(*linear_data)
    with pytest.raises(ValueError, match="only one class"):
        est.fit(X, np.zeros(150, dtype=int))
    est.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :3])

    def one_unit(X, y):  # a loss that ignores the targets lets a 1-unit model train on one-hot targets
        model = npkeras.Sequential([layers.Input((4,)), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss=lambda y_true, y_pred: npkeras.ops.mean(y_pred, axis=-1))
        return model

    with pytest.raises(ValueError, match="one column per class"):
        SKLearnClassifier(one_unit, fit_kwargs={"epochs": 1, **QUIET}).fit(X[:100], y[:100]).predict(X)


def test_without_sklearn_the_import_error_says_what_to_install():
    code = (
        "import sys\n"
        "sys.modules['sklearn'] = None\n"
        "import npkeras, npkeras.wrappers\n"
        "try:\n"
        "    from npkeras.wrappers import SKLearnClassifier\n"
        "except ImportError as exc:\n"
        "    print('ERR', exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "ERR" in out.stdout and "npkeras[sklearn]" in out.stdout
