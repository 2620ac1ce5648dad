"""Feeding a metric batch by batch, as fit/evaluate do, for the tests that compare streamed results."""

import numpy as np


def stream(metric, y_true, y_pred, sizes, sample_weight=None):
    """Update `metric` on consecutive batches of the given sizes (which must cover the data); its result."""
    start = 0
    for size in sizes:
        part = slice(start, start + size)
        metric.update_state(y_true[part], y_pred[part], None if sample_weight is None else sample_weight[part])
        start += size
    assert start == len(y_true), f"batch sizes {sizes} cover {start} of {len(y_true)} samples"
    return np.asarray(metric.result())
