"""CompileLoss: compile()'s loss for a model with one output or several, as Keras's CompileLoss.

Called as `loss(y_true, y_pred, sample_weight)`, it returns the total: each output's loss times its
weight, summed. With several outputs it keeps a Mean of each output's (unweighted) loss, logged as
"<output>_loss", the outputs named as Keras names them (the layer that made each output, or the
keys of a dict of outputs).
"""

import numpy as np

from npkeras import losses as losses_module
from npkeras import metrics as metrics_module
from npkeras.layers.symbolic import flatten
from npkeras.models import data_adapter
from npkeras.models.compile_settings import is_serialized_object


def per_output(value, names, role, default):
    """`value` given once (for every output), as a list (one per output) or as a dict keyed by output name."""
    if value is None:
        return [default] * len(names)
    if isinstance(value, dict) and not is_serialized_object(value):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(f"`{role}` names outputs {unknown}, but the model's outputs are {names}")
        return [value.get(name, default) for name in names]
    if isinstance(value, (list, tuple)) and not (
        role.endswith("metrics")
        and not any(
            isinstance(v, (list, tuple)) or (isinstance(v, dict) and not is_serialized_object(v)) for v in value
        )
    ):
        if len(value) != len(names):
            raise ValueError(
                f"`{role}` has {len(value)} entries, but the model has {len(names)} outputs {names}; give one per "
                "output (a list in output order, or a dict keyed by output name)"
            )
        return list(value)
    return [value] * len(names)


def output_names_of(y_pred, known):
    """The outputs' names: the model's own when they fit `y_pred`, else a dict's keys, else output_0, output_1, ..."""
    count = len(flatten(y_pred))
    if known is not None and len(known) == count:
        return list(known)
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    return [f"output_{i}" for i in range(count)] if count > 1 else list(known or ["output"])


def in_output_order(values, names, role):
    """A list or dict with one entry per output, as a list in output order (a single output's value as is)."""
    if isinstance(values, dict):
        missing = [n for n in names if n not in values]
        if missing:
            raise ValueError(f"`{role}` has no entries for outputs {missing}; the outputs are {names}")
        return [values[n] for n in names]
    if len(names) == 1:
        return [values[0] if isinstance(values, (list, tuple)) and len(values) == 1 else values]
    if not isinstance(values, (list, tuple)) or len(values) != len(names):
        count = len(values) if isinstance(values, (list, tuple)) else 1
        raise ValueError(f"The model has {len(names)} outputs {names}, but `{role}` holds {count} array(s)")
    return list(values)


class CompileLoss:
    """The loss compile() was given; `output_names` None: learnt from the first predictions (subclassed models)."""

    def __init__(self, loss, loss_weights=None, output_names=None):
        self._loss, self._loss_weights = loss, loss_weights
        self.output_names = None
        self.metrics = []
        if output_names is not None:
            self._resolve(list(output_names))

    @property
    def built(self):
        return self.output_names is not None

    def _resolve(self, names):
        if len(names) == 1:
            loss = self._loss[0] if isinstance(self._loss, (list, tuple)) and len(self._loss) == 1 else self._loss
            (loss,) = per_output(loss, names, "loss", None)
            self.losses = [losses_module.get(loss)]
            self.weights = [single_loss_weight(self._loss_weights)]
        else:
            specs = per_output(self._loss, names, "loss", None)
            self.losses = [None if s is None else losses_module.get(s) for s in specs]
            if all(fn is None for fn in self.losses):
                raise ValueError(f"No loss for any of the outputs {names}: pass `loss` to compile()")
            self.weights = [float(w) for w in per_output(self._loss_weights, names, "loss_weights", 1.0)]
            self.metrics = [
                metrics_module.Mean(name=f"{name}_loss") for name, fn in zip(names, self.losses) if fn is not None
            ]
        self.output_names = names

    def __call__(self, y_true, y_pred, sample_weight=None):
        if y_true is None:
            raise ValueError(
                "The model was compiled with a loss, so it needs targets, but received none: pass `y` to "
                "fit()/evaluate() (or batches of (x, y)); a model whose loss comes from add_loss() is compiled "
                "without `loss`."
            )
        if not self.built:
            self._resolve(output_names_of(y_pred, None))
        names = self.output_names
        targets = in_output_order(y_true, names, "y")
        predictions = in_output_order(y_pred, names, "the model's outputs")
        weights = self._sample_weights(sample_weight, names)
        trackers = iter(self.metrics)
        total = None
        for fn, weight, target, pred, sw in zip(self.losses, self.weights, targets, predictions, weights):
            if fn is None:
                continue
            value = fn(target, pred, sw)
            if self.metrics:
                next(trackers).update_state(np.asarray(value.data), sample_weight=data_adapter.num_samples(pred))
            term = value * weight if weight != 1.0 else value
            total = term if total is None else total + term
        return total

    @staticmethod
    def _sample_weights(sample_weight, names):
        """One sample weight per output: the same array for each, or a list/dict of them."""
        if sample_weight is None or not isinstance(sample_weight, (list, tuple, dict)):
            return [sample_weight] * len(names)
        return in_output_order(sample_weight, names, "sample_weight")


def single_loss_weight(loss_weights):
    """The scale of the loss of a single-output model: a number, or a list/dict holding one."""
    if loss_weights is None:
        return 1.0
    if isinstance(loss_weights, dict):
        loss_weights = list(loss_weights.values())
    if isinstance(loss_weights, (list, tuple)):
        if len(loss_weights) != 1:
            raise ValueError(
                f"`loss_weights` has {len(loss_weights)} entries, but the model has one output (models with "
                "several outputs come with the functional API)."
            )
        loss_weights = loss_weights[0]
    if not isinstance(loss_weights, (int, float, np.floating, np.integer)) or isinstance(loss_weights, bool):
        raise ValueError(f"`loss_weights` must be a number (or a list/dict of one). Received: {loss_weights!r}")
    return float(loss_weights)
