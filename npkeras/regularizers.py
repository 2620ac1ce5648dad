"""Weight regularizers (l1, l2, l1_l2) whose penalties are added to the training loss."""

from npkeras import ops
from npkeras.utils.registry import resolve
from npkeras.utils.registry import serialize as serialize_object

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "Regularizer",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "serialize",
]


class Regularizer:
    def __call__(self, x):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        for name, value in (("l1", l1), ("l2", l2)):
            if value < 0:
                raise ValueError(
                    f"Value for argument `{name}` should be a non-negative float. Received: {name}={value}"
                )
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        penalty = 0.0
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return ops.convert_to_tensor(penalty) if isinstance(penalty, float) else penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


l1, l2, l1_l2 = L1, L2, L1L2

_TABLE = {"L1L2": L1L2, "L1": L1, "L2": L2, "l1_l2": L1L2, "l1": L1, "l2": L2}


def get(identifier):
    if identifier is None:
        return None
    return resolve("regularizer", identifier, _TABLE, instance_types=(Regularizer,))


def serialize(regularizer):
    return serialize_object(regularizer, "keras.regularizers")
