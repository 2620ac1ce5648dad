"""classification_report: scikit-learn's text to the character and its dict to 1e-12, zero_division, bad input."""

import math
import warnings

import numpy as np
import pytest

from npkeras.evaluation.report import UndefinedMetricWarning, classification_report, precision_recall_fscore_support


def random_case(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 40)), int(rng.integers(1, 6))
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < [0.0, 0.5, 0.9][seed % 3], y_true, rng.integers(0, k + 1, n))
    kwargs = {"digits": [2, 3, 4, 0][seed % 4], "zero_division": ["warn", 0, 1, np.nan][seed % 4]}
    if seed % 5 == 1:
        y_true, y_pred = np.array(list("abcdefg"))[y_true], np.array(list("abcdefg"))[y_pred]
    if seed % 5 == 2:  # a shuffled subset or superset of the classes, with long target names
        pool = np.union1d(y_true, y_pred).tolist() + [k + 1, k + 2]
        kwargs["labels"] = rng.permutation(pool)[: int(rng.integers(1, len(pool) + 1))].tolist()
        kwargs["target_names"] = [f"class number {label}" for label in kwargs["labels"]]
    if seed % 3 == 1:
        kwargs["sample_weight"] = rng.integers(1, 4, n).astype(np.float64)
    return y_true, y_pred, kwargs


def sklearn_report(y_true, y_pred, **kwargs):
    metrics = pytest.importorskip("sklearn.metrics")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return metrics.classification_report(y_true, y_pred, **kwargs)


def ours(y_true, y_pred, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return classification_report(y_true, y_pred, **kwargs)


def assert_same_dict(got, expected):
    assert list(got) == list(expected)
    for key, value in expected.items():
        if isinstance(value, dict):
            assert list(got[key]) == list(value), key
            for name, v in value.items():
                assert got[key][name] == pytest.approx(v, abs=1e-12, nan_ok=True), (key, name)
                assert type(got[key][name]) is float
        else:
            assert got[key] == pytest.approx(value, abs=1e-12, nan_ok=True), key


@pytest.mark.parametrize("seed", range(80))
def test_text_and_dict_equal_scikit_learn_on_random_cases(seed):
    y_true, y_pred, kwargs = random_case(seed)
    assert ours(y_true, y_pred, **kwargs) == sklearn_report(y_true, y_pred, **kwargs)
    assert_same_dict(
        ours(y_true, y_pred, output_dict=True, **kwargs), sklearn_report(y_true, y_pred, output_dict=True, **kwargs)
    )


EDGE_CASES = {
    "a class never predicted": ([0, 1, 2, 2], [0, 1, 1, 1], {}),
    "a class never present": ([0, 0, 1], [0, 2, 1], {}),
    "labels name an absent class": ([0, 1, 1], [0, 1, 0], {"labels": [0, 1, 2]}),
    "all correct": ([2, 0, 1, 1], [2, 0, 1, 1], {}),
    "a single sample": ([1], [1], {}),
    "a single wrong sample": ([1], [0], {}),
    "nothing right (float support)": ([0, 1, 1], [1, 0, 0], {}),
    "strings with target names": (["cat", "dog", "dog"], ["cat", "cat", "dog"], {"target_names": ["Cat", "Dog"]}),
    "labels subset (micro avg)": ([0, 1, 2, 2, 1], [0, 2, 2, 1, 1], {"labels": [2, 0]}),
    "subset with nothing true": ([0, 0], [1, 1], {"labels": [1], "zero_division": 1}),
    "zero_division nan": ([0, 0], [0, 0], {"labels": [0, 1, 2], "zero_division": np.nan}),
    "long names and digits": ([0, 1, 1, 0], [1, 1, 1, 0], {"target_names": ["a" * 20, "b"], "digits": 5}),
    "integer weights": ([0, 1, 1, 2], [0, 1, 2, 2], {"sample_weight": [1, 2, 3, 4]}),
}


@pytest.mark.parametrize("case", EDGE_CASES)
def test_edge_cases_equal_scikit_learn(case):
    y_true, y_pred, kwargs = EDGE_CASES[case]
    assert ours(y_true, y_pred, **kwargs) == sklearn_report(y_true, y_pred, **kwargs)
    assert_same_dict(
        ours(y_true, y_pred, output_dict=True, **kwargs), sklearn_report(y_true, y_pred, output_dict=True, **kwargs)
    )


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("seed", range(10))
def test_precision_recall_fscore_support_equals_scikit_learn(seed, average):
    metrics = pytest.importorskip("sklearn.metrics")
    y_true, y_pred, kwargs = random_case(seed)
    kwargs = {k: v for k, v in kwargs.items() if k in ("labels", "sample_weight", "zero_division")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = metrics.precision_recall_fscore_support(y_true, y_pred, average=average, **kwargs)
        got = precision_recall_fscore_support(y_true, y_pred, average=average, **kwargs)
    for g, e in zip(got[:3], expected[:3]):
        np.testing.assert_allclose(g, e, rtol=0, atol=1e-12)
    assert (got[3] is None) == (expected[3] is None)
    if average is None:
        np.testing.assert_array_equal(got[3], expected[3])


def test_known_values_and_layout():
    text = classification_report([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], target_names=["neg", "pos"])
    assert text == (
        "              precision    recall  f1-score   support\n\n"
        "         neg       0.50      0.50      0.50         2\n"
        "         pos       0.67      0.67      0.67         3\n\n"
        "    accuracy                           0.60         5\n"
        "   macro avg       0.58      0.58      0.58         5\n"
        "weighted avg       0.60      0.60      0.60         5\n"
    )
    report = classification_report([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], output_dict=True)
    assert list(report) == ["0", "1", "accuracy", "macro avg", "weighted avg"]
    assert report["accuracy"] == pytest.approx(0.6)
    assert report["1"] == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1-score": 2 / 3, "support": 3.0})


def test_a_labels_subset_reports_micro_avg_not_accuracy():
    report = classification_report([0, 1, 2, 2], [0, 2, 2, 1], labels=[2], output_dict=True)
    assert list(report) == ["2", "micro avg", "macro avg", "weighted avg"]
    # the prediction of class 2 for a true 1 still counts against class 2's precision
    assert report["2"]["precision"] == pytest.approx(0.5)
    assert "micro avg" in classification_report([0, 1, 2, 2], [0, 2, 2, 1], labels=[2])


def test_warn_sets_undefined_scores_to_zero_with_a_warning():
    with pytest.warns(UndefinedMetricWarning, match=r"Precision is ill-defined.*no predicted samples \(\[2\]\)"):
        report = classification_report([0, 1, 2], [0, 1, 1], output_dict=True)
    assert report["2"]["precision"] == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert classification_report([0, 1, 2], [0, 1, 1], output_dict=True, zero_division=1)["2"]["precision"] == 1.0
        value = classification_report([0, 1, 2], [0, 1, 1], output_dict=True, zero_division=np.nan)["2"]["precision"]
        assert math.isnan(value)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(target_names=["a"]), ValueError, r"Number of classes, 2, does not match size of target_names, 1"),
        (dict(zero_division="nan"), ValueError, r'zero_division must be "warn", 0, 1 or np.nan'),
        (dict(zero_division=0.5), ValueError, r"zero_division must be"),
        (dict(labels=[0, 0]), ValueError, r"distinct"),
    ],
)
def test_bad_arguments_get_a_clear_error(kwargs, error, message):
    with pytest.raises(error, match=message):
        classification_report([0, 1, 1], [0, 1, 0], **kwargs)


def test_target_names_not_matching_given_labels_warn_as_in_scikit_learn():
    with pytest.warns(UserWarning, match="labels size, 2, does not match size of target_names, 1"):
        classification_report([0, 1, 1], [0, 1, 0], labels=[0, 1], target_names=["a"])


def test_bad_targets_get_a_clear_error():
    with pytest.raises(ValueError, match=r"y_pred must be class labels.*\(3, 2\).*argmax\(axis=-1\)"):
        classification_report([0, 1, 1], np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]]))
    with pytest.raises(ValueError, match=r"same number of samples; got 3 and 2"):
        classification_report([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match=r"at least one sample"):
        classification_report([], [])
    with pytest.raises(ValueError, match=r"average must be one of"):
        precision_recall_fscore_support([0, 1], [0, 1], average="binary")


def test_text_equals_sklearn_exactly_with_weights_subsets_and_zero_division():
    """300 random cases, weighted supports included: the same summation order gives the same last digit."""
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    compared = 0
    for seed in range(300):
        rng = np.random.default_rng(seed)
        k, n = int(rng.integers(2, 6)), int(rng.integers(1, 40))
        y_true, y_pred = rng.integers(0, k, n), rng.integers(0, k, n)
        kwargs = {"digits": int(rng.integers(0, 5))}
        if seed % 3 == 0:
            kwargs["labels"] = list(range(k + 1)) if seed % 2 else list(range(max(1, k - 1)))
        if seed % 2 == 0:
            kwargs["sample_weight"] = rng.random(n)
        if seed % 11 == 0:
            kwargs["zero_division"] = [0, 1, np.nan][seed % 3]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                expected = sklearn_metrics.classification_report(y_true, y_pred, **kwargs)
            except ValueError:
                continue
            assert classification_report(y_true, y_pred, **kwargs) == expected, (seed, kwargs)
        compared += 1
    assert compared > 250
