"""Metric: streaming state over batches; Mean and MeanMetricWrapper."""

import numpy as np

from npkeras.backend.config import floatx
from npkeras.utils.naming import to_snake_case


def same_rank(y_true, y_pred):
    """Keras's squeeze_or_expand_to_same_rank, so the two pair element by element: when one has an extra
    trailing axis of 1, a vector partner becomes a column; any other partner keeps its rank and that axis goes."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        return (y_true, y_pred[..., None]) if y_pred.ndim == 1 else (y_true[..., 0], y_pred)
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        return (y_true[..., None], y_pred) if y_true.ndim == 1 else (y_true, y_pred[..., 0])
    return y_true, y_pred


def mean_over_outputs(values):
    """Each sample's mean over its outputs, the last axis. A vector is one output per sample already (a batch
    of scalar targets): averaging it would make the batch one value, which Mean would count as one sample."""
    return values.mean(axis=-1) if values.ndim > 1 else values


class Metric:
    """Base: `update_state` accumulates, `result` reads, `reset_state` clears.

    A custom metric keeps its state in variables made by `add_variable` (or `add_weight`), updated with
    `assign_add`/`assign`, as in Keras; the default `reset_state` sets them all to zeros.
    """

    _is_metric = True  # set as a layer's or model's attribute, it joins that model's `metrics` (as in Keras)

    def __init__(self, name=None, dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.dtype = dtype or floatx()

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        """Every state variable back to zeros (a metric that keeps its state otherwise overrides this)."""
        for variable in self.variables:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    @property
    def variables(self):
        """The state variables made by `add_variable`/`add_weight`, in creation order."""
        return self.__dict__.setdefault("_state_variables", [])

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """A non-trainable state variable of this metric (Keras's `Metric.add_variable`)."""
        from npkeras.autograd.variable import Variable

        if aggregation not in ("none", "mean", "sum", "only_first_replica"):
            raise ValueError(
                "Invalid value for argument `aggregation`. Expected one of 'none', 'mean', 'sum', "
                f"'only_first_replica'. Received: aggregation={aggregation!r}"
            )
        shape = () if shape is None else tuple(shape)
        variable = Variable(initializer, shape=shape, dtype=dtype or self.dtype, trainable=False, name=name)
        self.variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """`add_variable` with Keras's defaults for `add_weight`: a scalar of zeros."""
        return self.add_variable(shape, initializer or "zeros", dtype=dtype, name=name)

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


class Mean(Metric):
    """The (weighted) mean of every value seen."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values, sample_weight=None):
        values = np.asarray(values, dtype=np.float64)
        if sample_weight is None:
            self.total += float(values.sum())
            self.count += values.size
            return
        weight = np.asarray(sample_weight, dtype=np.float64)
        if weight.ndim == 0:  # one weight for the whole batch (the loss tracker's batch size)
            self.total += float(values.sum()) * float(weight)
            self.count += values.size * float(weight)
            return
        while weight.ndim > values.ndim and weight.shape[-1] == 1:
            weight = weight.reshape(weight.shape[:-1])
        if weight.ndim < values.ndim:
            weight = weight.reshape(weight.shape + (1,) * (values.ndim - weight.ndim))
        weight = np.broadcast_to(weight, values.shape)
        self.total += float((values * weight).sum())
        self.count += float(weight.sum())

    def result(self):
        return self.total / self.count if self.count else 0.0


class MeanMetricWrapper(Mean):
    """The mean over samples of `fn(y_true, y_pred, **kwargs)`, which returns one value per sample (or per element)."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name or fn.__name__, dtype)
        self._fn, self._fn_kwargs = fn, kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(np.asarray(y_true), np.asarray(y_pred), **self._fn_kwargs)
        super().update_state(values, sample_weight)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}


class Sum(Metric):
    """The (weighted) sum of every value seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0

    def update_state(self, values, sample_weight=None):
        values = np.asarray(values, dtype=np.float64)
        if sample_weight is not None:
            weight = np.asarray(sample_weight, dtype=np.float64)
            values, weight = same_rank(values, weight)
            if values.ndim > weight.ndim:  # each sample's values first, as Keras reduces to the weights' rank
                values = values.sum(axis=tuple(range(weight.ndim, values.ndim)))
            values = values * np.broadcast_to(weight, values.shape)
        self.total += float(values.sum())

    def result(self):
        return self.total
