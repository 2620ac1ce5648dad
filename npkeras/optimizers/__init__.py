"""Optimizers with Keras 3's names and defaults."""

from npkeras.optimizers.adam import Adam
from npkeras.optimizers.optimizer import Optimizer
from npkeras.optimizers.rmsprop import RMSprop
from npkeras.optimizers.sgd import SGD
from npkeras.utils.registry import resolve
from npkeras.utils.registry import serialize as serialize_object

_TABLE = {"Adam": Adam, "RMSprop": RMSprop, "SGD": SGD, "adam": Adam, "rmsprop": RMSprop, "sgd": SGD}


def get(identifier):
    """An optimizer from a name ("adam", "sgd"), a config dict or an instance."""
    return resolve("optimizer", identifier, _TABLE, instance_types=(Optimizer,), allow_callable=False)


def serialize(optimizer):
    return serialize_object(optimizer, "keras.optimizers")


__all__ = ["Adam", "Optimizer", "RMSprop", "SGD", "get", "serialize"]
