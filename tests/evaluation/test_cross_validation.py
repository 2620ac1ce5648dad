"""cross_validate and its folds: stratification, a fresh model per fold, real data, bad input."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.evaluation.cross_validation import cross_validate, fold_indices


@pytest.mark.parametrize("stratified", [True, False])
def test_folds_partition_the_samples(stratified):
    y = np.repeat([0, 1, 2], [50, 30, 20])
    parts = fold_indices(y, folds=5, stratified=stratified, seed=0)
    assert len(parts) == 5
    np.testing.assert_array_equal(np.sort(np.concatenate(parts)), np.arange(100))
    assert [len(p) for p in parts] == [20] * 5


def test_stratified_folds_keep_each_classs_share():
    y = np.repeat([0, 1, 2], [50, 30, 20])
    for part in fold_indices(y, folds=5, seed=1):
        assert np.bincount(y[part]).tolist() == [10, 6, 4]
    onehot = np.eye(3)[y]
    for part in fold_indices(onehot, folds=5, seed=1):
        assert np.bincount(y[part]).tolist() == [10, 6, 4]


def test_folds_follow_the_seed():
    y = np.arange(40) % 2
    a, b = fold_indices(y, 4, seed=3), fold_indices(y, 4, seed=3)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not all(np.array_equal(p, q) for p, q in zip(a, fold_indices(y, 4, seed=4)))
    assert [p.tolist() for p in fold_indices(y, 4, shuffle=False, stratified=False)][0] == list(range(10))


def small_model(built):
    def build():
        model = npkeras.Sequential([layers.Input((4,)), layers.Dense(3, activation="softmax")])
        model.compile(optimizer=npkeras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])  # fmt: skip
        built.append(model)
        return model

    return build


def test_each_fold_gets_a_fresh_model_and_the_means_are_the_fold_means(capsys):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 4)).astype(np.float32)
    y = x[:, :3].argmax(axis=1)  # linearly separable
    built = []
    result = cross_validate(small_model(built), x, y, folds=3, seed=0, epochs=20, batch_size=16)
    assert len(built) == 3 and len({id(m) for m in built}) == 3
    accuracies = [fold["accuracy"] for fold in result["folds"]]
    assert min(accuracies) > 0.8  # each fold learns it
    assert result["mean"]["accuracy"] == pytest.approx(np.mean(accuracies))
    assert result["std"]["accuracy"] == pytest.approx(np.std(accuracies))
    assert len(result["histories"]) == 3 and len(result["histories"][0]["loss"]) == 20
    out = capsys.readouterr().out
    assert "Fold 1/3 (60 train, 30 held out)" in out and "Mean - " in out and "±" in out


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"folds": 1}, ValueError, "folds >= 2"),
        ({"folds": 200}, ValueError, "Cannot split 90 samples into folds=200"),
        ({"folds": 40}, ValueError, "class .* has only 30 samples for folds=40"),
    ],
)
def test_bad_folds(kwargs, error, message):
    x, y = np.zeros((90, 4), np.float32), np.arange(90) % 3
    with pytest.raises(error, match=message):
        cross_validate(small_model([]), x, y, verbose=0, **kwargs)


def test_mismatched_lengths_and_uncompiled_models():
    x, y = np.zeros((30, 4), np.float32), np.arange(30) % 3
    with pytest.raises(ValueError, match="same number of samples; got 30 and 29"):
        cross_validate(small_model([]), x, y[:29])
    with pytest.raises(TypeError, match="needs a function that returns a new compiled model"):
        cross_validate(npkeras.Sequential([layers.Dense(2)]), x, y)
    uncompiled = lambda: npkeras.Sequential([layers.Input((4,)), layers.Dense(3)])
    with pytest.raises(ValueError, match="must return a compiled model"):
        cross_validate(uncompiled, x, y, verbose=0)
