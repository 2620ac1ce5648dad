"""Integer and bit-level arithmetic: gcd, lcm, bitwise and/or/xor/not, shifts, ldexp (no gradients,
but ldexp's for its float mantissa)."""

import numpy as np

from npkeras.autograd.tensor import Tensor


def _ints(x1, x2, op_name):
    a, b = np.asarray(x1), np.asarray(x2)
    for v in (a, b):
        if v.dtype.kind not in "iub":
            raise ValueError(f"{op_name}: expected integer (or boolean) inputs. Received dtype {v.dtype}.")
    return a, b


def gcd(x1, x2):
    return Tensor(np.gcd(*_ints(x1, x2, "gcd")))


def lcm(x1, x2):
    return Tensor(np.lcm(*_ints(x1, x2, "lcm")))


def bitwise_and(x, y):
    return Tensor(np.bitwise_and(*_ints(x, y, "bitwise_and")))


def bitwise_or(x, y):
    return Tensor(np.bitwise_or(*_ints(x, y, "bitwise_or")))


def bitwise_xor(x, y):
    return Tensor(np.bitwise_xor(*_ints(x, y, "bitwise_xor")))


def bitwise_invert(x):
    a, _ = _ints(x, 0, "bitwise_invert")
    return Tensor(np.invert(a))


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y):
    return Tensor(np.left_shift(*_ints(x, y, "bitwise_left_shift")))


def bitwise_right_shift(x, y):
    return Tensor(np.right_shift(*_ints(x, y, "bitwise_right_shift")))


left_shift = bitwise_left_shift
right_shift = bitwise_right_shift


def ldexp(x1, x2):
    """x1 * 2**x2 for integer exponents x2; differentiable in x1."""
    from npkeras.ops.math import multiply
    from npkeras.ops.trigonometry import as_float

    x1 = as_float(x1)
    exponent = np.asarray(x2.data if isinstance(x2, Tensor) else x2)
    if exponent.dtype.kind not in "iu":
        raise ValueError(f"ldexp: the exponent `x2` must be integers. Received dtype {exponent.dtype}.")
    return multiply(x1, np.ldexp(np.ones((), x1.dtype), exponent))
