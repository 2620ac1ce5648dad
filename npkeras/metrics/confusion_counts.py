"""Thresholded confusion counts (TP, FP, TN, FN) for one batch, Keras's rules, vectorised.

A prediction is positive at threshold t when it is strictly greater than t. Evenly spaced thresholds
(AUC's) bin every prediction once with `np.bincount`, as Keras's bucketed path does, in float32;
a few other thresholds compare directly, many by binary search over the sorted predictions.
"""

import numpy as np

NEG_INF = -1e10  # the threshold that makes every top-k prediction positive
FEW_THRESHOLDS = 8  # up to this many, comparing every score with every threshold beats sorting


def parse_thresholds(thresholds, default):
    """Thresholds as a list of floats in [0, 1], or `[default]` when none are given."""
    if thresholds is None:
        return [default]
    listed = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    bad = [t for t in listed if t is None or not 0 <= t <= 1]
    if bad:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
    return [float(t) for t in listed]


def evenly_spaced(thresholds):
    """Whether the thresholds are 0, 1/(n-1), ..., 1 (within epsilon), so bucketing applies."""
    n = len(thresholds)
    if n < 3:
        return False
    return bool(np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1), atol=1e-7))


def same_rank(y_true, y_pred, metric):
    """Keras's squeeze-or-expand of a trailing 1, then a check that the shapes match."""
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_true = y_true[..., None] if y_true.ndim == 1 else y_true
        if y_true.ndim != y_pred.ndim:
            y_pred = y_pred[..., 0]
    if y_true.shape != y_pred.shape:
        hint = ""
        if y_true.ndim == y_pred.ndim - 1 and np.issubdtype(y_true.dtype, np.integer):
            hint = " Integer class labels must be one-hot encoded first (e.g. npkeras.utils.to_categorical)."
        raise ValueError(
            f"{metric} expects y_true with the same shape as y_pred (binary or one-hot labels). "
            f"Received: y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}.{hint}"
        )
    return y_true, y_pred


def _weights(sample_weight, label_weights, y_pred):
    weights = np.ones(y_pred.shape, np.float64)
    if sample_weight is not None:
        w = np.asarray(sample_weight, np.float64)
        while w.ndim > y_pred.ndim and w.shape[-1] == 1:  # a column of per-sample weights for vector predictions
            w = w[..., 0]
        if w.ndim and w.ndim < y_pred.ndim:
            w = w.reshape(w.shape + (1,) * (y_pred.ndim - w.ndim))
        try:
            weights = weights * np.broadcast_to(w, y_pred.shape)
        except ValueError:
            raise ValueError(
                f"sample_weight of shape {w.shape} does not broadcast to the predictions' shape {y_pred.shape}"
            ) from None
    if label_weights is not None:
        weights = weights * np.asarray(label_weights, np.float64)
    return weights


def top_k_mask(y_pred, k):
    """y_pred with everything outside each row's top k set to NEG_INF (ties go to the lower index)."""
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(y_pred.shape, bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, y_pred, NEG_INF)


def confusion_counts(
    y_true,
    y_pred,
    thresholds,
    *,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    evenly=False,
    metric="metric",
):
    """(tp, fp, tn, fn), each of shape (T,) or (T, labels) when multi_label, for one batch."""
    y_true, y_pred = same_rank(np.asarray(y_true), np.asarray(y_pred, np.float32), metric)
    weights = _weights(sample_weight, None if multi_label else label_weights, y_pred)
    if top_k is not None:
        y_pred = top_k_mask(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), "
                f"found shape: {y_pred.shape}"
            )
        y_true, y_pred, weights = (a[..., class_id : class_id + 1] for a in (y_true, y_pred, weights))
    positive = y_true.astype(bool)
    if multi_label:
        if y_pred.ndim != 2:
            raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found shape {y_pred.shape}")
        scores, positive, weights = y_pred.T, positive.T, weights.T  # (labels, N)
    else:
        scores, positive, weights = y_pred.reshape(1, -1), positive.reshape(1, -1), weights.reshape(1, -1)
    true_w, false_w = np.where(positive, weights, 0.0), np.where(positive, 0.0, weights)
    thresholds = np.asarray(thresholds, np.float32)
    if evenly:
        tp, fp = _bucketed(scores, true_w, false_w, thresholds)
    else:
        tp, fp = _searched(scores, true_w, false_w, thresholds)
    fn = true_w.sum(axis=1, keepdims=True) - tp
    tn = false_w.sum(axis=1, keepdims=True) - fp
    counts = (tp, fp, tn, fn)
    return tuple(c.T if multi_label else c[0] for c in counts)


def _bucketed(scores, true_w, false_w, thresholds):
    """Counts above each of T evenly spaced thresholds: bucket ceil(p (T-1)) - 1, then reversed cumsum."""
    labels, n = scores.shape
    t = len(thresholds)
    clipped = np.clip(scores, np.float32(0), np.float32(1))
    bucket = np.ceil(clipped * np.float32(t - 1)) - 1
    if thresholds[0] < 0 or thresholds[-1] > 1:  # the end thresholds carry an epsilon: 0 falls in bucket 0
        bucket = np.maximum(bucket, 0)
    flat = (bucket.astype(np.int64) + t * np.arange(labels)[:, None]).ravel()
    keep = flat >= 0  # a prediction of exactly 0 is above no threshold when the first one is 0
    counted = [
        np.bincount(flat[keep], w.ravel()[keep], minlength=t * labels).reshape(labels, t) for w in (true_w, false_w)
    ]
    return tuple(np.cumsum(c[:, ::-1], axis=1)[:, ::-1] for c in counted)


def _searched(scores, true_w, false_w, thresholds):
    """Counts strictly above each threshold: a direct comparison for a few thresholds, else one sort per label."""
    if len(thresholds) <= FEW_THRESHOLDS:
        above = scores[:, None, :] > thresholds[None, :, None]  # (labels, T, N)
        return tuple(np.einsum("ltn,ln->lt", above, w) for w in (true_w, false_w))
    order = np.argsort(scores, axis=1, kind="stable")
    sorted_scores = np.take_along_axis(scores, order, axis=1)
    results = []
    for w in (true_w, false_w):
        above = np.cumsum(np.take_along_axis(w, order, axis=1)[:, ::-1], axis=1)[:, ::-1]  # weight at index >= i
        above = np.concatenate([above, np.zeros((len(w), 1))], axis=1)
        first_above = np.stack([np.searchsorted(s, thresholds, side="right") for s in sorted_scores])
        results.append(np.take_along_axis(above, first_above, axis=1))
    return tuple(results)
