"""Adamax (Adam with the infinity norm), Keras 3's update rule."""

import numpy as np

from npkeras.optimizers.optimizer import Optimizer


class Adamax(Optimizer):
    """m += (g - m)(1 - b1); u = max(b2 u, |g|); var -= lr m / ((1 - b1^t)(u + eps))."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="adamax", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, variables):
        self.momentums, self.norms = self.add_variables_from_reference(variables, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate, index):
        step = int(self.iterations.data) + 1
        m, u = self.momentums[index].data, self.norms[index].data
        m += (gradient - m) * (1 - self.beta_1)
        np.maximum(self.beta_2 * u, np.abs(gradient), out=u)
        variable.data -= learning_rate * m / ((1 - self.beta_1**step) * (u + self.epsilon))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
