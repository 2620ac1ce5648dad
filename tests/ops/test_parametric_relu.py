"""ParametricRelu: values against the formula and gradients for x and the broadcast alpha."""

import numpy as np

from npkeras.autograd import Tensor, gradient_check
from npkeras.ops.parametric_relu import parametric_relu


def test_parametric_relu_values_and_gradients():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4))
    x[np.abs(x) < 0.05] = 0.1  # away from the kink
    alpha = rng.standard_normal((1, 4))  # shared over axis 1
    y = parametric_relu(Tensor(x), Tensor(alpha)).data
    np.testing.assert_allclose(y, np.maximum(x, 0) - alpha * np.maximum(-x, 0))
    assert gradient_check(parametric_relu, x, alpha)
    assert gradient_check(parametric_relu, x, rng.standard_normal((3, 4)))
