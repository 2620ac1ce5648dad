"""Optimizer: the shared base (learning rate or schedule, weight decay, clipping, slots)."""

import numpy as np

from npkeras.autograd.tensor import Tensor
from npkeras.autograd.variable import Variable
from npkeras.backend import collective
from npkeras.optimizers import schedules
from npkeras.utils.naming import to_snake_case


class Optimizer:
    """Subclasses implement `build(variables)` (create slots) and `update_step(grad, var, lr)`."""

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        if use_ema:
            raise ValueError("npkeras optimizers do not support `use_ema` yet.")
        if gradient_accumulation_steps:
            raise ValueError("npkeras optimizers do not support `gradient_accumulation_steps` yet.")
        given = [
            n
            for n, v in (("clipnorm", clipnorm), ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm))
            if v is not None
        ]
        if len(given) > 1:
            raise ValueError(f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: {given}")
        for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm)):
            if value is not None and value <= 0:
                raise ValueError(f"Argument `{arg}` must be positive. Received: {arg}={value}")
        if weight_decay is not None and weight_decay < 0:
            raise ValueError(f"Argument `weight_decay` must be non-negative. Received: weight_decay={weight_decay}")
        self.name = name or to_snake_case(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.loss_scale_factor = loss_scale_factor
        self.iterations = Variable(np.asarray(0, dtype=np.int64), trainable=False, name="iteration")
        self._schedule = None
        self._learning_rate = Variable(np.asarray(0.0, dtype=np.float32), trainable=False, name="learning_rate")
        self.learning_rate = learning_rate
        self._slots = []  # optimizer variables in creation order (file format order)
        self._variables = None

    # ---- learning rate --------------------------------------------------------------
    @property
    def learning_rate(self):
        if self._schedule is not None:  # the schedule's value at the current step, as Keras returns it
            return Tensor(np.asarray(self._schedule(int(self.iterations.data)), dtype=np.float32))
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, dict):  # a serialized schedule, as in a saved config
            value = schedules.deserialize(value)
        if callable(value) and not isinstance(value, (Variable, float, int)):
            self._schedule = value
            return
        if not isinstance(value, (int, float, np.number, np.ndarray, Variable)) or isinstance(value, bool):
            raise ValueError(
                "Argument `learning_rate` should be a float, a LearningRateSchedule or a callable. "
                f"Received: learning_rate={value!r}"
            )
        value = float(value)
        if value < 0 or not np.isfinite(value):
            raise ValueError(
                f"Argument `learning_rate` must be a non-negative finite number. Received: learning_rate={value}"
            )
        self._schedule = None
        self._learning_rate.assign(value)

    def _current_lr(self):
        if self._schedule is not None:  # a float32 rate, as Keras's schedules compute it
            return float(np.float32(self._schedule(int(self.iterations.data))))
        return float(self._learning_rate.data)

    # ---- slots ----------------------------------------------------------------------
    def add_variable_from_reference(self, reference, name):
        slot_name = f"{reference.path.replace('/', '_')}_{name}"  # Keras's "dense_kernel_momentum"
        slot = Variable(np.zeros_like(reference.data), trainable=False, name=slot_name)
        slot.path = f"{self.name}/{slot_name}"
        self._slots.append(slot)
        return slot

    def add_variables_from_reference(self, variables, names):
        """One slot list per name, created variable by variable ([m0, v0, m1, v1, ...]), the order in
        which Keras's optimizers create (and save) them."""
        slots = [[] for _ in names]
        for v in variables:
            for column, name in zip(slots, names):
                column.append(self.add_variable_from_reference(v, name))
        return slots

    @property
    def variables(self):
        """Keras's order: iterations, the learning rate (unless a schedule gives it), then the slots."""
        lr = [] if self._schedule is not None else [self._learning_rate]
        return [self.iterations] + lr + self._slots

    @property
    def built(self):
        return self._variables is not None

    def build(self, variables):
        """Create per-variable state; called once, on the first update."""

    def build_for(self, variables):
        """Create the slots for `variables` unless already built (before the first update, or to load state)."""
        if self._variables is None:
            self.build(variables)
            self._variables = list(variables)  # references, so a recycled id() is never mistaken
            self._index = {id(v): n for n, v in enumerate(variables)}

    def _slot_index(self, variable):
        n = self._index.get(id(variable))
        if n is None or self._variables[n] is not variable:
            raise ValueError(
                f"Optimizer {self.name!r} was built for {len(self._variables)} variables and received a "
                f"variable it has not seen ({getattr(variable, 'path', variable)!r}). Create a new optimizer "
                "for a new model."
            )
        return n

    # ---- updates --------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        pairs = list(grads_and_vars)
        return self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def apply(self, grads, trainable_variables=None):
        """Update each variable in place from its gradient (None gradients are skipped)."""
        if trainable_variables is None:
            if self._variables is None:
                raise ValueError("`trainable_variables` must be given on the first call to `apply`.")
            trainable_variables = self._variables
        trainable_variables = list(trainable_variables)
        self.build_for(trainable_variables)
        pairs = [(np.asarray(g), v) for g, v in zip(grads, trainable_variables) if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable.")
        variables = [v for _, v in pairs]
        grads = [g for g, _ in pairs]
        if collective.communicator() is not None:  # data-parallel: the global batch's gradients, then clipping
            grads = collective.average_gradients(grads)
        grads = self._clip(grads)
        lr = self._current_lr()
        if self.weight_decay:
            for var in variables:
                var.data -= var.data * (self.weight_decay * lr)
        for g, var in zip(grads, variables):
            self.update_step(g, var, lr, self._slot_index(var))
            if var.constraint is not None:
                var.assign(var.constraint(var))
        self.iterations.data += 1
        return self.iterations

    def update_step(self, gradient, variable, learning_rate, index):
        raise NotImplementedError

    def _clip(self, grads):
        """The gradients after `clipvalue` (element-wise), `clipnorm` (each one) or `global_clipnorm` (all together)."""
        if self.clipvalue is not None:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        if self.clipnorm is not None:
            return [_scale_to_norm(g, float(np.sqrt(np.sum(np.square(g)))), self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            norm = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))
            return [_scale_to_norm(g, norm, self.global_clipnorm) for g in grads]
        return grads

    # ---- config ---------------------------------------------------------------------
    def get_config(self):
        if isinstance(self._schedule, schedules.LearningRateSchedule):
            lr = schedules.serialize(self._schedule)
        elif self._schedule is not None:
            raise ValueError(
                f"Optimizer {self.name!r}: its learning rate is a plain function, which cannot be saved; "
                "use a npkeras.optimizers.schedules.LearningRateSchedule."
            )
        else:
            lr = float(self._learning_rate.data)
        return {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": False,
            "ema_momentum": 0.99,
            "ema_overwrite_frequency": None,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": None,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _scale_to_norm(g, norm, limit):
    """`g` scaled by limit / norm when its norm exceeds `limit`, else `g` unchanged."""
    return g * (limit / norm) if norm > limit else g
