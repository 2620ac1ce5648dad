"""plot_history and plot_confusion_matrix: matplotlib Figures, saved as PNG files written atomically.

matplotlib is optional (`pip install "npkeras[plots]"`) and imported only here, inside the functions; the figures
are drawn on an Agg canvas of their own, so pyplot and the user's chosen backend are left as they are.
"""

import math
from pathlib import Path

import numpy as np

from npkeras.evaluation.confusion import as_labels, confusion_matrix, normalize_counts


def new_figure(figsize, dpi=100):
    """A Figure on its own Agg canvas (no pyplot, no global backend)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(f'Plotting needs matplotlib ({e}); install it with: pip install "npkeras[plots]"') from e
    figure = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(figure)
    return figure


def save_figure(figure, path, dpi=100):
    """Write the figure to `path` (PNG unless the suffix names another format) via a temporary file and a rename."""
    from npkeras.saving.atomic import atomic_write

    fmt = Path(path).suffix[1:].lower() or "png"
    if fmt not in figure.canvas.get_supported_filetypes():
        raise ValueError(f"Cannot save a figure as {fmt!r} ({path}); use a .png path")
    with atomic_write(path) as f:
        figure.savefig(f, format=fmt, dpi=dpi, bbox_inches="tight")


def plot_history(history, metrics=None, path=None, title="Training history", figsize=None, dpi=100):
    """One subplot per metric (loss first) of a History or its `.history` dict: train and "val_" curves by epoch."""
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(f"plot_history needs a History or a non-empty dict of per-epoch values; got {history!r}")
    if metrics is None:
        metrics = [k for k in logs if not k.startswith("val_")]
        metrics += [k[4:] for k in logs if k.startswith("val_") and k[4:] not in logs]
        metrics.sort(key=lambda m: m != "loss")
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    missing = [m for m in metrics if m not in logs and f"val_{m}" not in logs]
    if missing or not metrics:
        raise ValueError(f"plot_history: no history for {missing or metrics}; the history has {list(logs)}")
    cols = min(len(metrics), 3)
    rows = math.ceil(len(metrics) / cols)
    figure = new_figure(figsize or (4.8 * cols, 3.8 * rows), dpi)
    for i, name in enumerate(metrics):
        ax = figure.add_subplot(rows, cols, i + 1)
        train = np.asarray(logs.get(name, []), dtype=np.float64)
        for key, label, style in ((name, "train", "-o"), (f"val_{name}", "validation", "--s")):
            if len(logs.get(key, [])):
                values = np.asarray(logs[key], dtype=np.float64)
                epochs = epoch_numbers(len(values), len(train))
                lines = ax.plot(epochs, values.reshape(len(values), -1), style, markersize=3)
                for j, line in enumerate(lines):
                    line.set_label(label if len(lines) == 1 else f"{label}[{j}]")
        ax.set_xlabel("Epoch")
        ax.set_ylabel(name)
        ax.set_title(("Training and validation " if f"val_{name}" in logs else "Training ") + name)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, alpha=0.3)
        ax.legend()
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    if path is not None:
        save_figure(figure, path, dpi)
    return figure


def epoch_numbers(count, train_count):
    """Epochs 1..count; validation every k epochs (validation_freq=k) sits at epochs k, 2k, ..."""
    step = train_count // count if count and train_count > count and train_count % count == 0 else 1
    return np.arange(1, count + 1) * step


def plot_confusion_matrix(
    cm_or_y_true,
    y_pred=None,
    class_names=None,
    normalize=None,
    path=None,
    labels=None,
    title="Confusion matrix",
    cmap="Blues",
    values_format=None,
    figsize=None,
    dpi=100,
):
    """A heat map of the confusion matrix (rows true, columns predicted) with each cell's count or fraction.

    Give y_true and y_pred (class labels), or a square matrix alone. With integer labels, class_names[i] names
    class i (so classes that never occur still get their row and column); normalize: None, "true", "pred", "all".
    """
    if y_pred is None:
        matrix = np.asarray(cm_or_y_true)
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.dtype.kind not in "iuf":
            raise ValueError(
                "plot_confusion_matrix needs a square matrix of counts, or y_true and y_pred; "
                f"got an array of shape {matrix.shape} and dtype {matrix.dtype} alone"
            )
        matrix = normalize_counts(matrix, normalize)
        names = list(range(len(matrix))) if labels is None else list(labels)
    else:
        if labels is None and class_names is not None:
            labels = names_index(cm_or_y_true, y_pred, class_names)
        matrix = confusion_matrix(cm_or_y_true, y_pred, labels=labels, normalize=normalize)
        if labels is None:
            labels = np.union1d(as_labels(cm_or_y_true, "y_true"), as_labels(y_pred, "y_pred"))
        names = list(labels)
    names = [str(n) for n in (names if class_names is None else class_names)]
    k = len(matrix)
    if len(names) != k:
        raise ValueError(f"{len(names)} class names {names} for a {k}x{k} confusion matrix")
    figure = new_figure(figsize or (max(5.0, 0.55 * k + 2.5), max(4.2, 0.5 * k + 2.0)), dpi)
    ax = figure.add_subplot()
    image = ax.imshow(matrix, interpolation="nearest", cmap=cmap)
    figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)  # as tall as the heat map
    ax.set_xticks(range(k))
    ax.set_xticklabels(names, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(k))
    ax.set_yticklabels(names)
    ax.set_xlabel("Predicted label")
    ax.set_ylabel("True label")
    ax.set_title(title + (f" (normalized over {normalize})" if normalize else ""))
    fmt = values_format or ("d" if matrix.dtype.kind in "iu" else ".2f")
    middle = (float(matrix.max()) + float(matrix.min())) / 2 if k else 0.0
    for (i, j), value in np.ndenumerate(matrix):
        color = "white" if value > middle else "black"
        ax.text(j, i, format(value, fmt), ha="center", va="center", color=color, fontsize=8 if k > 10 else 10)
    if path is not None:
        save_figure(figure, path, dpi)
    return figure


def names_index(y_true, y_pred, class_names):
    """Labels 0..len(class_names)-1 for integer labels named by class_names; None (the labels found) otherwise."""
    found = np.union1d(as_labels(y_true, "y_true"), as_labels(y_pred, "y_pred"))
    if found.dtype.kind not in "iu":
        return None
    if found.size and (found.min() < 0 or found.max() >= len(class_names)):
        raise ValueError(
            f"The labels run from {found.min()} to {found.max()}, but class_names names {len(class_names)} classes "
            f"(class_names[i] names label i)"
        )
    return np.arange(len(class_names))
