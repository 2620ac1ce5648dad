"""Adam, Keras 3's update rule, computed in place with one scratch buffer per variable."""

import math

import numpy as np

from npkeras.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); var -= alpha m / (sqrt(v) + eps),
    alpha = lr sqrt(1 - b2^t) / (1 - b1^t)."""

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, name="adam", **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad

    def build(self, variables):
        self.momentums, self.velocities = self.add_variables_from_reference(variables, ["momentum", "velocity"])
        self.velocity_hats = (
            [self.add_variable_from_reference(v, "velocity_hat") for v in variables] if self.amsgrad else []
        )
        self._scratch = [np.empty_like(v.data) for v in variables]

    def update_step(self, gradient, variable, learning_rate, index):
        """Update `variable` in place: the moments m and v, then var -= alpha m / (sqrt(v) + eps) at step t."""
        step = int(self.iterations.data) + 1
        alpha = learning_rate * math.sqrt(1 - self.beta_2**step) / (1 - self.beta_1**step)
        m, v, tmp = self.momentums[index].data, self.velocities[index].data, self._scratch[index]
        np.subtract(gradient, m, out=tmp)
        tmp *= 1 - self.beta_1
        m += tmp
        np.square(gradient, out=tmp)
        tmp -= v
        tmp *= 1 - self.beta_2
        v += tmp
        if self.amsgrad:
            v_hat = self.velocity_hats[index].data
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= alpha
        variable.data -= tmp

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
