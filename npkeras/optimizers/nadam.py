"""Nadam (Adam with Nesterov momentum), Keras 3's update rule with its momentum schedule."""

import numpy as np

from npkeras.autograd.variable import Variable
from npkeras.optimizers.optimizer import Optimizer


class Nadam(Optimizer):
    """u_t = b1 (1 - 0.5 * 0.96^t); m_hat = u_{t+1} m / (1 - prod u_1..u_{t+1}) + (1 - u_t) g / (1 - prod u_1..u_t);
    var -= lr m_hat / (sqrt(v / (1 - b2^t)) + eps)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="nadam", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, variables):
        self.momentums, self.velocities = self.add_variables_from_reference(variables, ["momentum", "velocity"])
        dtype = variables[0].dtype if variables else np.float32
        self.u_product = Variable(np.asarray(1.0, dtype=dtype), trainable=False, name="u_product")
        self._slots.append(self.u_product)  # saved after the slots, as Keras tracks it

    def _momentum_at(self, step):
        return self.beta_1 * (1.0 - 0.5 * 0.96**step)

    def apply(self, grads, trainable_variables=None):
        """Advance the momentum product once per step, before the variables' updates (as Keras does)."""
        if trainable_variables is not None:
            self.build_for(list(trainable_variables))
        step = int(self.iterations.data) + 1
        self.u_product.data[...] = self.u_product.data * self._momentum_at(step)
        return super().apply(grads, trainable_variables)

    def update_step(self, gradient, variable, learning_rate, index):
        step = int(self.iterations.data) + 1
        u_t, u_next = self._momentum_at(step), self._momentum_at(step + 1)
        u_product = float(self.u_product.data)
        m, v = self.momentums[index].data, self.velocities[index].data
        m += (gradient - m) * (1 - self.beta_1)
        v += (np.square(gradient) - v) * (1 - self.beta_2)
        m_hat = u_next * m / (1 - u_product * u_next) + (1 - u_t) * gradient / (1 - u_product)
        v_hat = v / (1 - self.beta_2**step)
        variable.data -= learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
