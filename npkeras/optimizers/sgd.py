"""SGD with optional (Nesterov) momentum, Keras 3's update rule."""

from npkeras.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """velocity = momentum * velocity - lr * g; var += velocity (Nesterov: var += momentum * velocity - lr * g).

    The notes' form v = beta * v + (1 - beta) * g, theta -= alpha * v is the same update with
    momentum=beta and learning_rate=alpha * (1 - beta).
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum}")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def build(self, variables):
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables] if self.momentum else []

    def update_step(self, gradient, variable, learning_rate, index):
        """Update `variable` in place: var -= lr * g, or with momentum velocity = momentum * velocity - lr * g."""
        if not self.momentum:
            variable.data -= learning_rate * gradient
            return
        m = self.momentums[index].data
        m *= self.momentum
        m -= learning_rate * gradient
        if self.nesterov:
            variable.data += self.momentum * m - learning_rate * gradient
        else:
            variable.data += m

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
