"""gradient_check: compare autograd's gradients with central differences in float64."""

import numpy as np

from npkeras.autograd import engine, mode
from npkeras.autograd.tensor import Tensor


def numerical_gradient(fn, xs, index, upstream, eps):
    """d(sum(fn(xs) * upstream)) / d(xs[index]) by central differences."""
    x = xs[index].data
    grad = np.zeros_like(x)
    flat, flat_grad = x.reshape(-1), grad.reshape(-1)
    with mode.no_grad():
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            plus = np.sum(np.asarray(fn(*xs)) * upstream)
            flat[i] = orig - eps
            minus = np.sum(np.asarray(fn(*xs)) * upstream)
            flat[i] = orig
            flat_grad[i] = (plus - minus) / (2 * eps)
    return grad


def gradient_check(fn, *inputs, eps=1e-6, rtol=1e-5, atol=1e-6, seed=0):
    """Check `fn`'s autograd gradients for every floating input; raise AssertionError if off.

    `fn` takes Tensors and returns a Tensor. Floating inputs are checked in float64 (the
    caller's arrays are copied); other inputs (labels, masks) are passed as constants.
    A random upstream gradient makes the check cover the whole Jacobian. Returns True.
    """
    xs, checked = [], []
    for i, x in enumerate(inputs):
        arr = np.asarray(x)
        if arr.dtype.kind == "f":
            copy = np.array(arr, dtype=np.float64, order="C")  # C order: numerical_gradient perturbs it in place
            xs.append(Tensor(copy, requires_grad=True))
            checked.append(i)
        else:
            xs.append(Tensor(arr))
    out = fn(*xs)
    if not isinstance(out, Tensor) or out.creator is None and not out.requires_grad:
        raise AssertionError("gradient_check: the function's output does not depend on its inputs")
    upstream = np.random.default_rng(seed).standard_normal(out.shape)
    analytic = engine.gradients(out, [xs[i] for i in checked], output_gradient=upstream)
    for i, grad in zip(checked, analytic):
        numeric = numerical_gradient(fn, xs, i, upstream, eps)
        if grad is None:
            grad = np.zeros_like(numeric)
        if grad.shape != numeric.shape:
            raise AssertionError(
                f"gradient_check: input {i} has shape {numeric.shape} but its gradient has shape {grad.shape}"
            )
        if not np.allclose(grad, numeric, rtol=rtol, atol=atol):
            worst = np.max(np.abs(grad - numeric))
            raise AssertionError(
                f"gradient_check: input {i} (shape {numeric.shape}): analytic and numerical "
                f"gradients differ by up to {worst:.3e}\nanalytic:\n{grad}\nnumerical:\n{numeric}"
            )
    return True
