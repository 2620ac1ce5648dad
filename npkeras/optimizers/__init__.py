"""Optimizers with Keras 3's names and defaults."""

from npkeras.optimizers import schedules
from npkeras.optimizers.adadelta import Adadelta
from npkeras.optimizers.adagrad import Adagrad
from npkeras.optimizers.adam import Adam
from npkeras.optimizers.adamax import Adamax
from npkeras.optimizers.adamw import AdamW
from npkeras.optimizers.nadam import Nadam
from npkeras.optimizers.optimizer import Optimizer
from npkeras.optimizers.rmsprop import RMSprop
from npkeras.optimizers.sgd import SGD
from npkeras.utils.registry import resolve
from npkeras.utils.registry import serialize as serialize_object

_CLASSES = (Adadelta, Adagrad, Adam, Adamax, AdamW, Nadam, RMSprop, SGD)
_TABLE = {**{cls.__name__: cls for cls in _CLASSES}, **{cls.__name__.lower(): cls for cls in _CLASSES}}


def get(identifier):
    """An optimizer from a name ("adam", "sgd"), a config dict or an instance."""
    return resolve("optimizer", identifier, _TABLE, instance_types=(Optimizer,), allow_callable=False)


def serialize(optimizer):
    return serialize_object(optimizer, "keras.optimizers")


__all__ = [
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "SGD",
    "get",
    "schedules",
    "serialize",
]
