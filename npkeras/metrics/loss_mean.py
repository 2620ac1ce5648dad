"""LossMean: the streamed mean of a Keras loss function, one value per sample."""

from npkeras.metrics.metric import MeanMetricWrapper, same_rank


class LossMean(MeanMetricWrapper):
    """The mean over samples of `fn(y_true, y_pred, **kwargs)`, a loss function that averages the last axis.

    Vector predictions are one output per sample, as npkeras's other mean metrics take them: Keras would
    average a whole batch of them to one value and count it once, so its result would depend on the batching.
    """

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = same_rank(y_true, y_pred)  # Keras's squeeze-or-expand of a trailing 1
        if y_pred.ndim == 1:
            y_pred = y_pred[:, None]
            if y_true.ndim == 1:
                y_true = y_true[:, None]
        super().update_state(y_true, y_pred, sample_weight)
