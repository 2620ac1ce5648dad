"""Linear resizing: values against NumPy and hand-derived interpolation weights, and gradient checks."""

import numpy as np

from npkeras.autograd import Tensor, gradient_check
from npkeras.ops import resizing


def test_linear_interpolation_weights_are_half_pixel_centred_and_clamped():
    # doubling 3 entries: outputs sample the input at -0.25, 0.25, 0.75, 1.25, 1.75, 2.25 (clamped to [0, 2])
    matrix = resizing.linear_interpolation_matrix(3, 6, np.float64)
    expected = np.array(
        [
            [1.0, 0.75, 0.25, 0.0, 0.0, 0.0],
            [0.0, 0.25, 0.75, 0.75, 0.25, 0.0],
            [0.0, 0.0, 0.0, 0.25, 0.75, 1.0],
        ]
    )
    np.testing.assert_allclose(matrix, expected)
    np.testing.assert_allclose(matrix.sum(axis=0), 1.0)


def test_linear_resize_values_and_gradient():
    x = np.random.default_rng(1).standard_normal((2, 3, 4, 2))
    y = resizing.linear_resize(Tensor(x), 6, axis=1).data
    np.testing.assert_allclose(y[:, 1], 0.75 * x[:, 0] + 0.25 * x[:, 1])
    np.testing.assert_allclose(y[:, 5], x[:, 2])
    assert gradient_check(lambda t: resizing.linear_resize(t, 12, axis=2), x)
    assert gradient_check(lambda t: resizing.linear_resize(t, 9, axis=1), x)
