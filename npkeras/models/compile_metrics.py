"""CompileMetrics: compile()'s metrics and weighted_metrics, for one output or several, as Keras's CompileMetrics.

The metrics are made from the first batch's shapes ("accuracy" becomes binary, sparse categorical or
categorical accuracy), and named as Keras logs them: as given for one output, "<output>_<name>" for
several; a weighted metric whose name is taken gets "weighted_" in front.
"""

from npkeras import metrics as metrics_module
from npkeras.metrics.metric import Metric
from npkeras.models.compile_loss import in_output_order, output_names_of, per_output


def _check_specs(specs, role):
    if specs is None:
        return None
    if not isinstance(specs, (list, tuple, dict)):
        raise ValueError(
            f"Expected `{role}` argument to be a list, tuple, or dict. Received instead: {role}={specs!r} of type "
            f"{type(specs)}"
        )
    for spec in (s for v in (specs.values() if isinstance(specs, dict) else specs) for s in _as_list(v)):
        if isinstance(spec, str) and spec.lower() not in ("accuracy", "acc"):
            metrics_module.get(spec)  # an unknown name fails at compile(), with the valid ones listed
    return specs


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [] if value is None else [value]


class CompileMetrics(Metric):
    """`update_state(y_true, y_pred, sample_weight)` updates every metric; `result()` is a dict of their values."""

    def __init__(self, metrics, weighted_metrics, output_names=None):
        super().__init__(name="compile_metrics")
        self._specs = _check_specs(metrics, "metrics")
        self._weighted_specs = _check_specs(weighted_metrics, "weighted_metrics")
        self.output_names = None if output_names is None else list(output_names)
        if self.output_names is not None and len(self.output_names) > 1:
            for specs, role in ((self._specs, "metrics"), (self._weighted_specs, "weighted_metrics")):
                per_output(specs, self.output_names, role, None)  # the per-output layout is checked now
        self.built = False
        self._entries = []  # (output index, metric, weighted), in compile order, plain ones first

    @property
    def metrics(self):
        return [metric for _, metric, _ in self._entries]

    def build(self, y_true, y_pred):
        names = output_names_of(y_pred, self.output_names)
        self._names = names
        targets = in_output_order(y_true, names, "y")
        predictions = in_output_order(y_pred, names, "the model's outputs")
        taken = set()
        for weighted, specs in ((False, self._specs), (True, self._weighted_specs)):
            per = [_as_list(specs)] if len(names) == 1 else [_as_list(s) for s in per_output(specs, names, "", None)]
            for i, output_specs in enumerate(per):
                prefix = f"{names[i]}_" if len(names) > 1 else ""
                for spec in output_specs:
                    metric = metrics_module.for_compile(spec, targets[i].shape, predictions[i].shape)
                    name = prefix + metric.name
                    if name in taken:
                        name = prefix + ("weighted_" if weighted else "") + metric.name
                    suffix = 1
                    while name in taken:
                        name, suffix = f"{prefix}{metric.name}_{suffix}", suffix + 1
                    metric.name = name
                    taken.add(name)
                    self._entries.append((i, metric, weighted))
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        if not self._entries:
            return
        names = self._names
        targets = in_output_order(y_true, names, "y")
        predictions = in_output_order(y_pred, names, "the model's outputs")
        if isinstance(sample_weight, (list, tuple, dict)):
            weights = in_output_order(sample_weight, names, "sample_weight")
        else:
            weights = [sample_weight] * len(names)
        for i, metric, weighted in self._entries:
            if weighted:
                metric.update_state(targets[i], predictions[i], weights[i])
            else:
                metric.update_state(targets[i], predictions[i])

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()

    def result(self):
        return {metric.name: metric.result() for metric in self.metrics}
