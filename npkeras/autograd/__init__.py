"""Tensor, Function, the backward engine, no_grad, GradientTape and gradient_check."""

from npkeras.autograd.engine import backward, gradients
from npkeras.autograd.function import Function
from npkeras.autograd.gradient_check import gradient_check
from npkeras.autograd.mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from npkeras.autograd.tape import GradientTape
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.autograd.variable import Variable

__all__ = [
    "Function",
    "GradientTape",
    "Tensor",
    "Variable",
    "as_tensor",
    "backward",
    "enable_grad",
    "gradient_check",
    "gradients",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
