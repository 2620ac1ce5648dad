"""Adagrad, Keras 3's update rule."""

import numpy as np

from npkeras.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """acc += g^2; var -= lr g / sqrt(acc + eps), acc starting at initial_accumulator_value."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name="adagrad", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if initial_accumulator_value < 0:
            raise ValueError(f"`initial_accumulator_value` must be non-negative. Received: {initial_accumulator_value}")
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def build(self, variables):
        (self.accumulators,) = self.add_variables_from_reference(variables, ["accumulator"])
        for acc in self.accumulators:
            acc.data[...] = self.initial_accumulator_value

    def update_step(self, gradient, variable, learning_rate, index):
        acc = self.accumulators[index].data
        acc += np.square(gradient)
        variable.data -= learning_rate * gradient / np.sqrt(acc + self.epsilon)

    def get_config(self):
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
