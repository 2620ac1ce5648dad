"""Hinge metrics: the mean hinge, squared hinge and categorical hinge losses over every sample seen."""

from npkeras.losses.hinge import categorical_hinge, hinge, squared_hinge
from npkeras.metrics.loss_mean import LossMean


class Hinge(LossMean):
    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name, dtype)


class SquaredHinge(LossMean):
    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name, dtype)


class CategoricalHinge(LossMean):
    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name, dtype)
