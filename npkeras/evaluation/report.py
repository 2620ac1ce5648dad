"""classification_report and precision_recall_fscore_support, scikit-learn's numbers and text layout.

Per-class counts come from one confusion matrix over every class present, so a `labels` subset still counts
predictions of the classes left out (as scikit-learn does).
"""

import warnings

import numpy as np

from npkeras.evaluation.confusion import check_labels, check_targets, counts, label_index

HEADERS = ("precision", "recall", "f1-score", "support")
AVERAGES = (None, "micro", "macro", "weighted")


class UndefinedMetricWarning(UserWarning):
    """A score divided zero by zero and was set to 0 (zero_division="warn")."""


def label_counts(y_true, y_pred, labels=None, sample_weight=None):
    """(labels, present labels, true positives, predicted, support); labels default to the sorted present ones."""
    y_true, y_pred, sample_weight, present = check_targets(y_true, y_pred, sample_weight)
    if len(y_true) == 0:
        raise ValueError("Classification scores need at least one sample; y_true and y_pred are empty")
    labels = present if labels is None else check_labels(labels, present)
    every = np.concatenate([labels, np.setdiff1d(present, labels)])
    k = len(labels)
    if sample_weight is None:
        cm = counts(y_true, y_pred, every)
        tp, predicted, support = np.diag(cm)[:k], cm.sum(axis=0)[:k], cm.sum(axis=1)[:k]
    else:  # weighted sums in scikit-learn's order, so they round the same: per-label bincounts, then tp + (x - tp)
        t, p, w = label_index(y_true, every), label_index(y_pred, every), sample_weight.astype(np.float64)
        n = len(every) + 2
        tp = np.bincount(t[t == p], weights=w[t == p], minlength=n)[:k]
        predicted = np.bincount(p, weights=w, minlength=n)[:k]
        support = np.bincount(t, weights=w, minlength=n)[:k]
        predicted, support = tp + (predicted - tp), tp + (support - tp)
    if not np.any(y_true == y_pred):  # scikit-learn's counts turn float when nothing at all is right
        tp, predicted, support = (c.astype(np.float64) for c in (tp, predicted, support))
    return labels, present, tp, predicted, support


def precision_recall_fscore_support(
    y_true, y_pred, labels=None, average=None, sample_weight=None, zero_division="warn"
):
    """Precision, recall, F1 and support per label (average=None), or their "micro"/"macro"/"weighted" average."""
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}; got {average!r}")
    labels, _, tp, predicted, support = label_counts(y_true, y_pred, labels, sample_weight)
    scores = per_label_scores(tp, predicted, support, zero_division, labels)
    if average is None:
        return (*scores, support)
    return (*averaged(scores, tp, predicted, support, average, zero_division), None)


def per_label_scores(tp, predicted, support, zero_division, labels=None):
    """Precision, recall and F1 arrays; 0/0 gives `zero_division` (and a warning when it is "warn")."""
    precision = divide(tp, predicted, zero_division, "Precision", "predicted", labels)
    recall = divide(tp, support, zero_division, "Recall", "true", labels)
    f1 = divide(2.0 * tp, 1.0 * support + predicted, zero_division, "F-score", "true nor predicted", labels)
    return precision, recall, f1


def averaged(scores, tp, predicted, support, average, zero_division):
    """The three scores averaged: micro from the summed counts, macro plain, weighted by support (NaNs skipped)."""
    if average == "micro":
        sums = (np.sum(c, keepdims=True) for c in (tp, predicted, support))
        return [float(s[0]) for s in per_label_scores(*sums, zero_division)]
    return [nan_average(s, support if average == "weighted" else None) for s in scores]


def nan_average(values, weights=None):
    """The (weighted) mean of the values that are not NaN; unweighted when their weights sum to zero."""
    defined = ~np.isnan(values)
    if not defined.any():
        return float("nan")
    values = values[defined]
    if weights is None or np.sum(weights[defined]) == 0:
        return float(np.mean(values))
    weights = weights[defined].astype(np.float64)
    return float(np.sum(values * weights) / np.sum(weights))


def divide(numerator, denominator, zero_division, metric, what, labels=None):
    fill = zero_division_value(zero_division)
    undefined = denominator == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(undefined, fill, numerator / np.where(undefined, 1, denominator))
    if labels is not None and zero_division == "warn" and undefined.any():
        warnings.warn(
            f"{metric} is ill-defined and being set to 0.0 in labels with no {what} samples "
            f"({np.asarray(labels)[undefined].tolist()}). Use `zero_division` parameter to control this behavior.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
    return result


def zero_division_value(zero_division):
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif isinstance(zero_division, (int, float, np.number)) and (zero_division in (0, 1) or np.isnan(zero_division)):
        return float(zero_division)
    raise ValueError(f'zero_division must be "warn", 0, 1 or np.nan; got {zero_division!r}')


def classification_report(
    y_true,
    y_pred,
    labels=None,
    target_names=None,
    sample_weight=None,
    digits=2,
    output_dict=False,
    zero_division="warn",
):
    """Precision, recall, F1 and support per class, then accuracy (micro avg for a labels subset), macro, weighted."""
    zero_division_value(zero_division)
    labels_given = labels is not None
    labels, present, tp, predicted, support = label_counts(y_true, y_pred, labels, sample_weight)
    if target_names is not None and len(target_names) != len(labels):
        if not labels_given:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of target_names, {len(target_names)}. "
                "Try specifying the labels parameter"
            )
        warnings.warn(
            f"labels size, {len(labels)}, does not match size of target_names, {len(target_names)}", stacklevel=2
        )
    names = list(target_names) if target_names is not None else [str(label) for label in labels.tolist()]
    scores = per_label_scores(tp, predicted, support, zero_division, labels)
    rows = list(zip(names, *scores, support))
    micro = "accuracy" if set(labels.tolist()) >= set(present.tolist()) else "micro avg"
    total = support.sum()
    averages = {
        (micro if average == "micro" else f"{average} avg"): averaged(
            scores, tp, predicted, support, average, zero_division
        )
        for average in AVERAGES[1:]
    }
    if output_dict:
        report = {name: dict(zip(HEADERS, map(float, row))) for name, *row in rows}
        for heading, (p, r, f) in averages.items():
            report[heading] = p if heading == "accuracy" else dict(zip(HEADERS, (p, r, f, float(total))))
        return report
    return report_text(names, rows, averages, total, digits)


def report_text(names, rows, averages, total, digits):
    width = max(len("weighted avg"), digits, *(len(str(name)) for name in names))
    line = "{:>{w}s} " + " {:>9.{d}f}" * 3 + " {:>9}\n"
    text = f"{'':>{width}s} " + "".join(f" {h:>9}" for h in HEADERS) + "\n\n"
    text += "".join(line.format(str(name), p, r, f, s.item(), w=width, d=digits) for name, p, r, f, s in rows) + "\n"
    for heading, (p, r, f) in averages.items():
        if heading == "accuracy":
            text += f"{heading:>{width}s} " + f" {'':>9}" * 2 + f" {f:>9.{digits}f} {total.item()!s:>9}\n"
        else:
            text += line.format(heading, p, r, f, total.item(), w=width, d=digits)
    return text
