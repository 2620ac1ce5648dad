"""Adadelta, Keras 3's update rule."""

import numpy as np

from npkeras.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """E[g^2] = rho E[g^2] + (1-rho) g^2; d = -sqrt(E[d^2] + eps) g / sqrt(E[g^2] + eps);
    E[d^2] = rho E[d^2] + (1-rho) d^2; var += lr d."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="adadelta", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.epsilon = rho, epsilon

    def build(self, variables):
        self.accumulated_grads, self.accumulated_delta_vars = self.add_variables_from_reference(
            variables, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate, index):
        acc_g, acc_d = self.accumulated_grads[index].data, self.accumulated_delta_vars[index].data
        acc_g[...] = self.rho * acc_g + (1 - self.rho) * np.square(gradient)
        delta = -np.sqrt(acc_d + self.epsilon) * gradient / np.sqrt(acc_g + self.epsilon)
        acc_d[...] = self.rho * acc_d + (1 - self.rho) * np.square(delta)
        variable.data += learning_rate * delta

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
