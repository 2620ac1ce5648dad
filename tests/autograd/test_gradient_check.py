"""gradient_check: passes correct ops, catches wrong backward passes."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Function, Tensor, gradient_check


class WrongSquare(Function):
    """x**2 whose backward forgets the factor 2."""

    saved = ("x",)

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, gy):
        return gy * self.x


class WrongShape(Function):
    """Identity whose backward returns a gradient of the wrong shape."""

    def forward(self, x):
        return x.copy()

    def backward(self, gy):
        return gy.sum(axis=0)


class MissingGradient(Function):
    """x * y whose backward gives the second input no gradient at all."""

    saved = ("a", "b")

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, gy):
        return gy * self.b, None


def test_correct_op_returns_true():
    x = np.random.default_rng(0).standard_normal((3, 4))
    assert gradient_check(lambda t: ops.square(t), x) is True


def test_wrong_backward_is_detected():
    x = np.random.default_rng(1).standard_normal((3, 4))
    with pytest.raises(AssertionError, match="differ"):
        gradient_check(lambda t: WrongSquare()(t), x)


def test_wrong_gradient_shape_is_detected():
    x = np.random.default_rng(2).standard_normal((3, 4))
    with pytest.raises(AssertionError, match="shape"):
        gradient_check(lambda t: WrongShape()(t), x)


def test_missing_gradient_counts_as_zero_and_is_detected():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    with pytest.raises(AssertionError, match="input 1"):
        gradient_check(lambda x, y: MissingGradient()(x, y), a, b)


def test_output_independent_of_inputs_is_rejected():
    x = np.ones((2, 2))
    with pytest.raises(AssertionError, match="does not depend"):
        gradient_check(lambda t: Tensor(np.zeros(2)), x)


def test_caller_arrays_are_not_modified_and_float32_is_checked_in_float64():
    x = np.random.default_rng(4).standard_normal((2, 3)).astype(np.float32)
    before = x.copy()
    seen = []

    def fn(t):
        seen.append(t.dtype)
        return ops.exp(t)

    assert gradient_check(fn, x)
    np.testing.assert_array_equal(x, before)
    assert set(seen) == {np.dtype(np.float64)}


def test_integer_inputs_are_passed_as_constants():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 3))
    idx = np.array([2, 0, 1, 1])
    seen = []

    def fn(t, labels):
        seen.append((labels.dtype.kind, labels.requires_grad))
        return t[np.arange(4), labels.data]

    assert gradient_check(fn, x, idx)
    assert all(kind == "i" and not rg for kind, rg in seen)


def test_a_transposed_input_is_perturbed_and_its_wrong_gradient_caught():
    """A non-C-contiguous array (x.T) once gave numerical gradients of zero, which passed any op whose analytic
    gradient was zero too, and failed correct ones."""
    x = np.random.default_rng(5).standard_normal((4, 3)).T
    assert not x.flags.c_contiguous
    assert gradient_check(lambda t: ops.square(t), x) is True
    with pytest.raises(AssertionError, match="differ"):
        gradient_check(lambda t: WrongSquare()(t), x)
