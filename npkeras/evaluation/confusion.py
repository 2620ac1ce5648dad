"""The confusion matrix of class labels, scikit-learn's semantics: rows are true classes, columns predicted ones."""

import warnings

import numpy as np

NORMALIZE_OPTIONS = (None, "true", "pred", "all")


def confusion_matrix(y_true, y_pred, labels=None, normalize=None, sample_weight=None):
    """Counts C[i, j] of samples of class labels[i] predicted as labels[j] (sorted labels of both when None).

    Samples whose true or predicted class is not in `labels` are left out. `normalize` divides by the rows
    ("true"), the columns ("pred") or the total ("all"); an empty row or column gives zeros.
    """
    if normalize not in NORMALIZE_OPTIONS:
        raise ValueError(f"normalize must be one of {NORMALIZE_OPTIONS}; got {normalize!r}")
    y_true, y_pred, sample_weight, present = check_targets(y_true, y_pred, sample_weight)
    if labels is None:
        labels = present
    else:
        labels = check_labels(labels, present)
        if len(y_true) and not np.isin(y_true, labels).any():
            raise ValueError(
                f"At least one of labels={labels.tolist()} must be in y_true, which holds {np.unique(y_true).tolist()}"
            )
    cm = counts(y_true, y_pred, labels, sample_weight)
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in y_true and y_pred; pass every known class as `labels` to get the "
            "confusion matrix of all of them.",
            UserWarning,
            stacklevel=2,
        )
    return normalize_counts(cm, normalize)


def counts(y_true, y_pred, labels, sample_weight=None):
    """The raw matrix for checked targets and labels: one bincount over the (true, predicted) index pairs."""
    n = len(labels)
    t, p = label_index(y_true, labels), label_index(y_pred, labels)
    keep = (t < n) & (p < n)
    flat = t[keep] * n + p[keep]
    if sample_weight is None:
        return np.bincount(flat, minlength=n * n).astype(np.int64).reshape(n, n)
    weights = sample_weight[keep]
    cm = np.bincount(flat, weights=weights.astype(np.float64), minlength=n * n).reshape(n, n)
    return cm.astype(np.int64) if weights.dtype.kind in "iub" else cm


def normalize_counts(cm, normalize):
    """cm divided by its row sums ("true"), column sums ("pred") or total ("all"); 0/0 gives 0."""
    if normalize not in NORMALIZE_OPTIONS:
        raise ValueError(f"normalize must be one of {NORMALIZE_OPTIONS}; got {normalize!r}")
    if normalize is None:
        return cm
    total = {"true": cm.sum(axis=1, keepdims=True), "pred": cm.sum(axis=0, keepdims=True), "all": cm.sum()}
    with np.errstate(all="ignore"):
        return np.nan_to_num(cm / total[normalize])


def label_index(y, labels):
    """The position of each y in labels; len(labels) + 1 for values that are not labels."""
    order = np.argsort(labels, kind="stable")
    pos = np.searchsorted(labels[order], y).clip(0, max(len(labels) - 1, 0))
    found = labels[order][pos] == y
    return np.where(found, order[pos], len(labels) + 1)


def check_targets(y_true, y_pred, sample_weight=None):
    """Both label arrays as 1-D arrays of one kind (numbers or strings), the weights, and their sorted labels."""
    y_true, y_pred = as_labels(y_true, "y_true"), as_labels(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true and y_pred must have the same number of samples; got {len(y_true)} and {len(y_pred)}")
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight)
        if sample_weight.shape != (len(y_true),):
            raise ValueError(
                f"sample_weight must have shape ({len(y_true)},), one weight per sample; got {sample_weight.shape}"
            )
    kinds = {label_kind(y_true), label_kind(y_pred)} - {None}
    if len(kinds) > 1:
        raise ValueError(
            f"y_true holds {label_kind(y_true)} and y_pred holds {label_kind(y_pred)}; labels must be of one kind"
        )
    return y_true, y_pred, sample_weight, np.union1d(y_true, y_pred)


def check_labels(labels, present):
    """`labels` as a 1-D array of distinct labels of the same kind as the data's."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"labels must be a non-empty 1-D list of classes; got {labels.tolist()!r}")
    if len(np.unique(labels)) != len(labels):
        raise ValueError(f"labels must be distinct; got {labels.tolist()}")
    if len(present) and {label_kind(labels), label_kind(present)} == {"numbers", "strings"}:
        raise ValueError(f"labels hold {label_kind(labels)} but y_true and y_pred hold {label_kind(present)}")
    return labels


def as_labels(y, name):
    """y as a 1-D array of class labels; one-hot rows, probabilities or scores get an error that says so."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        found = "a scalar" if y.ndim == 0 else f"an array of shape {y.shape}"
        hint = ""
        if y.ndim == 2:
            onehot = y.dtype.kind in "iubf" and np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all()
            what = "one-hot rows" if onehot else "per-class probabilities or scores"
            hint = f" (it looks like {what}); take {name}.argmax(axis=-1) to get the class of each sample"
        raise ValueError(f"{name} must be class labels of shape (n_samples,); got {found}{hint}")
    if y.dtype.kind == "f" and y.size and not np.all(np.isfinite(y) & (y == np.round(y))):
        bad = y[~(np.isfinite(y) & (y == np.round(y)))][0].item()
        raise ValueError(
            f"{name} must be class labels, but it holds the non-integer value {bad!r} (probabilities or scores?); "
            f"threshold them ({name} > 0.5) or take argmax(axis=-1) of the per-class scores"
        )
    if y.dtype.kind == "O":
        kinds = {isinstance(v, str) for v in y}
        if len(kinds) > 1:
            raise ValueError(f"{name} mixes strings and numbers; labels must be of one kind")
    return y


def label_kind(y):
    if y.size == 0:
        return None
    if y.dtype.kind in "USO":
        return "strings" if y.dtype.kind != "O" or isinstance(y.flat[0], str) else "numbers"
    return "numbers"
