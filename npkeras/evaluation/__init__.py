"""Evaluation tools of the notes' §1.4: cross-validation, confusion matrix, classification report, plots."""

from npkeras.evaluation.confusion import confusion_matrix
from npkeras.evaluation.cross_validation import cross_validate, fold_indices
from npkeras.evaluation.plots import plot_confusion_matrix, plot_history
from npkeras.evaluation.report import UndefinedMetricWarning, classification_report, precision_recall_fscore_support

__all__ = [
    "UndefinedMetricWarning",
    "classification_report",
    "confusion_matrix",
    "cross_validate",
    "fold_indices",
    "plot_confusion_matrix",
    "plot_history",
    "precision_recall_fscore_support",
]
