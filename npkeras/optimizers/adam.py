"""Adam, Keras 3's update rule, computed in place with one scratch buffer per variable."""

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
        self._denominators = [np.empty_like(v.data) for v in variables]

    def update_step(self, gradient, variable, learning_rate, index):
        m, v, tmp = self.momentums[index].data, self.velocities[index].data, self._scratch[index]
        alpha = _step_size(learning_rate, self.beta_1, self.beta_2, int(self.iterations.data) + 1, m.dtype)
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
        denominator = np.sqrt(v, out=self._denominators[index])
        denominator += self.epsilon
        np.multiply(m, alpha, out=tmp)  # (m * alpha) / (sqrt(v) + eps), Keras's order of rounding
        tmp /= denominator
        variable.data -= tmp

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }


def _step_size(learning_rate, beta_1, beta_2, step, dtype):
    """lr sqrt(1 - b2^t) / (1 - b1^t), rounded in the variables' dtype as Keras computes it."""
    one, t = dtype.type(1), dtype.type(step)
    b1_power, b2_power = np.power(dtype.type(beta_1), t), np.power(dtype.type(beta_2), t)
    return dtype.type(learning_rate) * np.sqrt(one - b2_power) / (one - b1_power)
