"""compile() for a functional model with several outputs: a loss, weight and metrics per output, Keras's log names.

The total loss is the weighted sum of the outputs' losses; the logs hold "loss", "<output>_loss" for each output
and "<output>_<metric>" for each of its metrics, the outputs named as Keras names them (the layer that made each
output, or the keys of a dict of outputs).
"""

import numpy as np

from npkeras import losses as losses_module
from npkeras import metrics as metrics_module


def per_output(value, names, role, default):
    """`value` given once (for every output), as a list (one per output) or as a dict keyed by output name."""
    if value is None:
        return [default] * len(names)
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(f"`{role}` names outputs {unknown}, but the model's outputs are {names}")
        return [value.get(name, default) for name in names]
    if isinstance(value, (list, tuple)) and not (
        role == "metrics" and not any(isinstance(v, (list, tuple, dict)) for v in value)
    ):
        if len(value) != len(names):
            raise ValueError(
                f"`{role}` has {len(value)} entries, but the model has {len(names)} outputs {names}; give one per "
                "output (a list in output order, or a dict keyed by output name)"
            )
        return list(value)
    return [value] * len(names)


class OutputLosses:
    """The compiled loss of a several-output model; called as loss(y, y_pred, sample_weight) -> total Tensor."""

    def __init__(self, names, loss, loss_weights, metrics, weighted_metrics):
        self.names = list(names)
        specs = per_output(loss, self.names, "loss", None)
        self.losses = [None if s is None else losses_module.get(s) for s in specs]
        if all(fn is None for fn in self.losses):
            raise ValueError(f"No loss for any of the outputs {self.names}: pass `loss` to compile()")
        self.weights = [float(w) for w in per_output(loss_weights, self.names, "loss_weights", 1.0)]
        self.metric_specs = [list(m or []) for m in per_output(metrics, self.names, "metrics", [])]
        self.weighted_specs = [list(m or []) for m in per_output(weighted_metrics, self.names, "weighted_metrics", [])]
        self.trackers = [metrics_module.Mean(name=f"{name}_loss") for name in self.names]
        self.metrics = None  # [(output index, Metric, weighted)], built from the first batch's shapes
        self.last_values = [None] * len(self.names)

    def targets(self, y):
        """y as one array per output: a list in output order or a dict keyed by output name."""
        if isinstance(y, dict):
            missing = [n for n in self.names if n not in y]
            if missing:
                raise ValueError(f"The targets `y` have no entries for outputs {missing}; the outputs are {self.names}")
            return [y[n] for n in self.names]
        if not isinstance(y, (list, tuple)) or len(y) != len(self.names):
            count = len(y) if isinstance(y, (list, tuple)) else 1
            raise ValueError(
                f"The model has {len(self.names)} outputs {self.names}, but `y` holds {count} target array(s)"
            )
        return list(y)

    def predictions(self, y_pred):
        return [y_pred[n] for n in self.names] if isinstance(y_pred, dict) else list(y_pred)

    def __call__(self, y, y_pred, sample_weight=None):
        total = None
        for i, (fn, weight, target, pred) in enumerate(
            zip(self.losses, self.weights, self.targets(y), self.predictions(y_pred))
        ):
            if fn is None:
                continue
            value = fn(target, pred, sample_weight)
            self.last_values[i] = float(np.asarray(value.data))
            term = value * weight if weight != 1.0 else value
            total = term if total is None else total + term
        return total

    def resolve_metrics(self, y, y_pred):
        if self.metrics is not None:
            return
        self.metrics = []
        for i, (target, pred) in enumerate(zip(self.targets(y), self.predictions(y_pred))):
            for weighted, specs in ((False, self.metric_specs[i]), (True, self.weighted_specs[i])):
                for spec in specs:
                    metric = metrics_module.for_compile(spec, np.shape(target), np.shape(pred))
                    metric.name = f"{self.names[i]}_{'weighted_' if weighted else ''}{metric.name}"
                    self.metrics.append((i, metric, weighted))

    def update(self, y, y_pred, sample_weight, n):
        for tracker, value in zip(self.trackers, self.last_values):
            if value is not None:
                tracker.update_state(value, sample_weight=n)
        targets, preds = self.targets(y), self.predictions(y_pred)
        for i, metric, weighted in self.metrics:
            metric.update_state(targets[i], preds[i], sample_weight if weighted else None)

    def all_metrics(self):
        used = [t for t, fn in zip(self.trackers, self.losses) if fn is not None]
        return used + [m for _, m, _ in self.metrics or []]
