"""Intersection-over-union metrics from a confusion matrix accumulated over batches: IoU, MeanIoU, BinaryIoU,
OneHotIoU and OneHotMeanIoU (Keras's rules: out-of-range and ignored labels are dropped; classes that never
occur are left out of the mean)."""

import warnings

import numpy as np

from npkeras.backend.config import epsilon
from npkeras.metrics.metric import Metric


class _IoUBase(Metric):
    """Keeps `total_cm`, the (num_classes, num_classes) confusion matrix, rows true classes, columns predicted,
    in the metric's dtype: int64 by default, so float sample weights are truncated as Keras truncates them."""

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1
    ):
        super().__init__(name, "int64" if dtype in (None, "int") else dtype)  # Keras counts in integers
        self.num_classes, self.ignore_class = num_classes, ignore_class
        self.sparse_y_true, self.sparse_y_pred, self.axis = sparse_y_true, sparse_y_pred, axis
        self.reset_state()

    def reset_state(self):
        self.total_cm = np.zeros((self.num_classes, self.num_classes), np.dtype(self.dtype))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        if not self.sparse_y_true:
            y_true = y_true.argmax(axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = y_pred.argmax(axis=self.axis)
        count_dtype = self.total_cm.dtype
        y_true, y_pred = y_true.astype(count_dtype).reshape(-1), y_pred.astype(count_dtype).reshape(-1)
        if sample_weight is None:
            weight = np.ones(y_true.shape, count_dtype)
        else:
            sample_weight = np.asarray(sample_weight)
            if sample_weight.dtype.kind == "f" and count_dtype.kind in "iu":
                warnings.warn(
                    "You are passing weight as `float`, but dtype is `int`. This may result in an incorrect weight "
                    "due to type casting Consider using integer weights.",
                    stacklevel=2,
                )
            weight = np.broadcast_to(sample_weight.astype(count_dtype).reshape(-1), y_true.shape)
        n = self.num_classes
        valid = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        cells = (y_true[valid] * n + y_pred[valid]).astype(np.int64)
        counts = np.bincount(cells, weights=weight[valid].astype(np.float64), minlength=n * n)
        self.total_cm = self.total_cm + counts.reshape(n, n).astype(count_dtype)

    def _scores(self, class_ids):
        cm = self.total_cm.astype(np.float64)
        true_positives = np.diag(cm)
        denominator = (cm.sum(axis=0) + cm.sum(axis=1) - true_positives)[class_ids]
        true_positives = true_positives[class_ids]
        valid = denominator > 1e-9
        iou = np.where(valid, true_positives / (denominator + epsilon()), 0.0)
        return float(np.float32(iou.sum() / (valid.sum() + epsilon())))


class IoU(_IoUBase):
    """The mean IoU of `target_class_ids` (TP / (TP + FP + FN) each), over the classes that occurred."""

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(num_classes, name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        return self._scores(self.target_class_ids)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """IoU of the two classes of binary labels, a prediction counting as class 1 when >= `threshold`."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, np.float32) >= self.threshold
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}  # fmt: skip


class MeanIoU(IoU):
    """IoU averaged over every class that occurred."""

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1
    ):
        super().__init__(
            num_classes, list(range(num_classes)), name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis
        )

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}  # fmt: skip


class OneHotIoU(IoU):
    """IoU with one-hot labels (and by default class scores as predictions), argmax taken along `axis`."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):  # fmt: skip
        super().__init__(num_classes, target_class_ids, name, dtype, ignore_class, False, sparse_y_pred, axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self.dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}  # fmt: skip


class OneHotMeanIoU(MeanIoU):
    """MeanIoU with one-hot labels (and by default class scores as predictions), argmax taken along `axis`."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name, dtype, ignore_class, False, sparse_y_pred, axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}  # fmt: skip
