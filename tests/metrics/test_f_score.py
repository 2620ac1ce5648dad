"""F1Score and FBetaScore against scikit-learn, streamed over uneven batches, and their argument checks."""

import metric_streams
import numpy as np
import pytest

from npkeras import metrics

sklearn_metrics = pytest.importorskip("sklearn.metrics")

SIZES = [6, 1, 13, 20]
CLASSES = 5


def stream(metric, y_true, y_pred, sample_weight=None):
    return metric_streams.stream(metric, y_true, y_pred, SIZES, sample_weight)


def case(seed, missing=None, never_predicted=None):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, CLASSES, sum(SIZES))
    if missing is not None:
        labels[labels == missing] = (missing + 1) % CLASSES
    scores = rng.random((sum(SIZES), CLASSES)) + 0.8 * np.eye(CLASSES)[labels]
    if never_predicted is not None:
        scores[:, never_predicted] = 0.0
    return labels, scores / scores.sum(1, keepdims=True)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("edge", [{}, {"missing": 2}, {"never_predicted": 4}, {"missing": 1, "never_predicted": 1}])
def test_f1_of_the_argmax_equals_sklearn(seed, average, edge):
    labels, probs = case(seed, **edge)
    expected = sklearn_metrics.f1_score(
        labels, probs.argmax(1), labels=range(CLASSES), average=average, zero_division=0
    )
    got = stream(metrics.F1Score(average=average), np.eye(CLASSES)[labels], probs)
    np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_fbeta_with_sample_weight_equals_sklearn(seed, beta):
    labels, probs = case(seed)
    w = np.random.default_rng(seed).random(len(labels)) + 0.1
    for average in (None, "macro", "weighted"):
        expected = sklearn_metrics.fbeta_score(labels, probs.argmax(1), beta=beta, labels=range(CLASSES),
                                               average=average, sample_weight=w, zero_division=0)  # fmt: skip
        got = stream(metrics.FBetaScore(beta=beta, average=average), np.eye(CLASSES)[labels], probs, w)
        np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_multi_label_with_a_threshold_equals_sklearn(seed):
    rng = np.random.default_rng(seed)
    y = (rng.random((sum(SIZES), 3)) < 0.4).astype(np.float32)
    p = np.clip(0.5 * y + 0.6 * rng.random(y.shape), 0, 1)
    for average in (None, "micro", "macro", "weighted"):
        expected = sklearn_metrics.f1_score(y, p > 0.5, average=average, zero_division=0)
        np.testing.assert_allclose(stream(metrics.F1Score(threshold=0.5, average=average), y, p), expected, atol=1e-6)


def test_all_correct_and_single_sample():
    y = np.eye(3)[[0, 1, 2, 1]]
    np.testing.assert_allclose(metrics.F1Score()(y, y), [1, 1, 1], atol=1e-6)
    one = metrics.F1Score(average="micro")
    one.update_state(np.eye(3)[[2]], np.array([[0.1, 0.2, 0.7]]))
    assert one.result() == pytest.approx(1.0, abs=1e-6)


def test_keras_docstring_example():
    y_true = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
    y_pred = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)
    np.testing.assert_allclose(metrics.F1Score(threshold=0.5)(y_true, y_pred), [0.5, 0.8, 0.6666667], atol=1e-6)
    np.testing.assert_allclose(metrics.FBetaScore(beta=2.0, threshold=0.5)(y_true, y_pred),
                               [0.3846154, 0.90909094, 0.8333334], atol=1e-6)  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"average": "samples"}, "Invalid `average` argument value. Expected one of"),
        ({"beta": 2}, "It should be a Python float"),
        ({"beta": -1.0}, "It should be > 0"),
        ({"threshold": 1.5}, "It should verify 0 < threshold <= 1"),
        ({"threshold": 1}, "It should be a Python float"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.FBetaScore(**kwargs)


def test_integer_labels_where_one_hot_is_expected():
    labels, probs = case(0)
    with pytest.raises(ValueError, match=r"expects 2D inputs.*y_true.shape=\(40,\).*one-hot"):
        metrics.F1Score().update_state(labels, probs)
    with pytest.raises(ValueError, match="expects y_true and y_pred of the same shape"):
        metrics.F1Score().update_state(np.eye(CLASSES + 1)[labels], probs)


def test_compiled_f1_logs_one_value_per_class():
    import npkeras
    from npkeras import layers

    rng = np.random.default_rng(0)
    x, labels = rng.random((64, 4)).astype(np.float32), rng.integers(0, 3, 64)
    model = npkeras.Sequential([layers.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["f1_score", "precision"])
    history = model.fit(x, np.eye(3)[labels], epochs=2, batch_size=16, verbose=0)
    assert np.shape(history.history["f1_score"][-1]) == (3,)
    probs = model.predict(x, verbose=0)
    expected = sklearn_metrics.f1_score(labels, probs.argmax(1), average=None, labels=range(3), zero_division=0)
    results = model.evaluate(x, np.eye(3)[labels], verbose=0, return_dict=True)
    np.testing.assert_allclose(results["f1_score"], expected, atol=1e-6)
