"""RMSprop (Keras's default optimizer in compile), Keras 3's update rule."""

import numpy as np

from npkeras.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """v = rho v + (1 - rho) g^2; step = lr g / sqrt(v + eps) (centered: v - mean(g)^2)."""

    def __init__(
        self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, name="rmsprop", **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def build(self, variables):
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        self.momentums = (
            [self.add_variable_from_reference(v, "momentum") for v in variables] if self.momentum > 0 else []
        )
        self._scratch = [np.empty_like(v.data) for v in variables]
        self.average_gradients = (
            [self.add_variable_from_reference(v, "average_gradient") for v in variables] if self.centered else []
        )

    def update_step(self, gradient, variable, learning_rate, index):
        v, tmp = self.velocities[index].data, self._scratch[index]
        np.square(gradient, out=tmp)
        tmp *= 1 - self.rho
        v *= self.rho
        v += tmp
        np.add(v, self.epsilon, out=tmp)
        if self.centered:
            avg = self.average_gradients[index].data
            avg *= self.rho
            avg += (1 - self.rho) * gradient
            tmp -= np.square(avg)
        np.sqrt(tmp, out=tmp)
        np.divide(gradient, tmp, out=tmp)
        tmp *= learning_rate  # the increment lr * g / sqrt(v + eps)
        if self.momentum > 0:
            m = self.momentums[index].data
            m *= self.momentum
            m += tmp
            variable.data -= m
        else:
            variable.data -= tmp

    def get_config(self):
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
