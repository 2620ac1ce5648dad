"""k-fold cross-validation: a fresh model per fold, trained on the rest and evaluated on the fold."""

import numpy as np

from npkeras.backend import collective, random


def fold_indices(y, folds=5, stratified=True, shuffle=True, seed=None):
    """The held-out indices of each fold; stratified folds keep every class's share (dealt round-robin)."""
    n = len(y)
    if not isinstance(folds, (int, np.integer)) or folds < 2:
        raise ValueError(f"cross_validate needs folds >= 2. Received: folds={folds!r}")
    if folds > n:
        raise ValueError(f"Cannot split {n} samples into folds={folds}")
    rng = np.random.default_rng(seed) if seed is not None else random.generator()
    order = rng.permutation(n) if shuffle else np.arange(n)
    if not stratified:
        return [np.sort(part) for part in np.array_split(order, folds)]
    labels = class_labels(y)[order]
    classes, counts = np.unique(labels, return_counts=True)
    if counts.min() < folds:
        raise ValueError(
            f"Stratified cross-validation needs every class in every fold, but class {classes[counts.argmin()]!r} "
            f"has only {counts.min()} samples for folds={folds}; use fewer folds or stratified=False"
        )
    by_class = np.argsort(labels, kind="stable")  # samples grouped by class, shuffled within it
    fold_of = np.empty(n, np.int64)
    fold_of[by_class] = np.arange(n) % folds  # deal each class's samples round-robin, continuing across classes
    return [np.sort(order[fold_of == k]) for k in range(folds)]


def class_labels(y):
    """Class labels from integer labels, (n, 1) columns or one-hot rows."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    if y.ndim == 2:
        return y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"Stratified folds need labels of shape (n,), (n, 1) or one-hot (n, classes); got {y.shape}")
    return y


def cross_validate(build_model, x, y, folds=5, stratified=True, shuffle=True, seed=None, verbose=1, **fit_kwargs):
    """Train `build_model()` (a compiled model) on each k-1 folds and evaluate it on the one held out.

    Returns {"folds": [per-fold metrics], "mean": {...}, "std": {...}, "histories": [History.history per fold]};
    fit_kwargs (epochs, batch_size, callbacks, ...) go to every fit. Each fold builds and trains in a random
    stream of its own, so a fold's result does not depend on the folds before it; under a DataParallel
    distribution over N processes, the folds are dealt among the processes and every process returns all.
    """
    from npkeras.layers.layer import Layer

    if isinstance(build_model, Layer) or not callable(build_model):
        raise TypeError(
            "cross_validate needs a function that returns a new compiled model (each fold trains a fresh one); "
            f"got {build_model!r}"
        )
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same number of samples; got {len(x)} and {len(y)}")
    parts = fold_indices(y, folds, stratified, shuffle, seed)
    fold_seed = int(random.generator().integers(2**63))  # each fold builds and trains in a stream of its own
    world = collective.communicator()  # on several processes, process r trains folds r, r + N, ...
    mine = range(len(parts)) if world is None else range(world.rank, len(parts), world.size)
    done = {}
    collective.set_communicator(None)  # a fold trains on one process
    try:
        for k in mine:
            with random.generator_scope(np.random.default_rng([fold_seed, k])):
                done[k] = _train_fold(build_model, x, y, parts[k], fit_kwargs)
    finally:
        collective.set_communicator(world)
    if world is not None:  # every process gets every fold's results
        every = world.allgather_json([[k, _jsonable(scores), history] for k, (scores, history) in done.items()])
        done = {k: (_arrays(scores), history) for folds_of_one in every for k, scores, history in folds_of_one}
    results, histories = [done[k][0] for k in range(len(parts))], [done[k][1] for k in range(len(parts))]
    if verbose and collective.is_chief():
        for k, held_out in enumerate(parts):
            shown = " - ".join(f"{name}: {np.mean(value):.4f}" for name, value in results[k].items())
            print(f"Fold {k + 1}/{len(parts)} ({len(x) - len(held_out)} train, {len(held_out)} held out) - {shown}")
    names = list(results[0])
    mean = {name: np.mean([r[name] for r in results], axis=0) for name in names}
    std = {name: np.std([r[name] for r in results], axis=0) for name in names}
    if verbose and collective.is_chief():
        print("Mean - " + " - ".join(f"{n}: {np.mean(mean[n]):.4f} ± {np.mean(std[n]):.4f}" for n in names))
    return {"folds": results, "mean": _plain(mean), "std": _plain(std), "histories": histories}


def _train_fold(build_model, x, y, held_out, fit_kwargs):
    """(evaluation on the held-out samples, History.history) of a fresh model trained on the others."""
    train = np.setdiff1d(np.arange(len(x)), held_out, assume_unique=True)
    model = build_model()
    if getattr(model, "optimizer", None) is None:
        raise ValueError("build_model must return a compiled model (call model.compile(...) inside it)")
    history = model.fit(x[train], y[train], verbose=0, **fit_kwargs)
    return model.evaluate(x[held_out], y[held_out], verbose=0, return_dict=True), history.history


def _jsonable(scores):
    return {name: np.asarray(value).tolist() for name, value in scores.items()}


def _arrays(scores):
    return {name: value if isinstance(value, float) else np.asarray(value) for name, value in scores.items()}


def _plain(values):
    return {name: float(v) if np.ndim(v) == 0 else v for name, v in values.items()}
