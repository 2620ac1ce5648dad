"""Products and norms: einsum (and tensordot, outer, inner, vdot written as einsums), cross, norm.

Einsum's backward for each operand is one more einsum of the output gradient with the others.
"""

import string

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor, as_tensor
from npkeras.ops.axes import canonical_axes, canonical_axis


def _explicit(subscripts, shapes):
    """`subscripts` with '...' spelled out in letters and an explicit output ('ab,bc->ac')."""
    subscripts = subscripts.replace(" ", "")
    inputs, arrow, output = subscripts.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: {subscripts!r} names {len(terms)} operands but {len(shapes)} were given.")
    used = set(subscripts) - set(".,->")
    free = [c for c in string.ascii_letters if c not in used]
    ell = max((len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes) if "..." in t), default=0)
    ell_letters = "".join(free[:ell])
    for i, (t, s) in enumerate(zip(terms, shapes)):
        named = len(t.replace("...", ""))
        if "..." in t:
            t = t.replace("...", ell_letters[ell - (len(s) - named) :] if len(s) > named else "")
        if len(t) != len(s):
            raise ValueError(
                f"einsum: operand {i} has shape {tuple(s)} but its subscripts {terms[i]!r} name {len(t)} axes."
            )
        terms[i] = t
    if arrow:
        output = output.replace("...", ell_letters)
    else:  # implicit mode: the letters seen once, in alphabetical order, after the ellipsis ones
        letters = "".join(terms)
        output = ell_letters + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ell_letters)
        )
    return terms, output


class Einsum(Function):
    saved = ("operands",)

    def __init__(self, terms, output):
        self.terms, self.output = terms, output

    def forward(self, *operands):
        self.operands = operands
        return np.einsum(",".join(self.terms) + "->" + self.output, *operands, optimize=len(operands) > 1)

    def backward(self, gy):
        grads = []
        for i, (term, x) in enumerate(zip(self.terms, self.operands)):
            if not self.input_requires_grad(i):
                grads.append(None)
                continue
            if len(set(term)) != len(term):
                raise NotImplementedError(f"einsum: no gradient for the repeated subscripts of operand {term!r}.")
            terms = [self.output] + [t for j, t in enumerate(self.terms) if j != i]
            arrays = [gy] + [a for j, a in enumerate(self.operands) if j != i]
            seen = set("".join(terms))
            target = "".join(c for c in term if c in seen)
            g = np.einsum(",".join(terms) + "->" + target, *arrays, optimize=len(arrays) > 1)
            # letters summed away inside this operand alone: their gradient is a broadcast
            view = [x.shape[k] if c in seen else 1 for k, c in enumerate(term)]
            g = np.broadcast_to(g.reshape(view), x.shape)
            grads.append(g if g.dtype == x.dtype else g.astype(x.dtype))
        return tuple(grads)


def einsum(subscripts, *operands, **kwargs):
    operands = [as_tensor(x) for x in operands]
    terms, output = _explicit(subscripts, [x.shape for x in operands])
    return Einsum(terms, output)(*operands)


def tensordot(x1, x2, axes=2):
    x1, x2 = as_tensor(x1), as_tensor(x2)
    if np.isscalar(axes):
        a1, a2 = list(range(x1.ndim - int(axes), x1.ndim)), list(range(int(axes)))
    else:
        a1, a2 = ([a] if np.isscalar(a) else list(a) for a in axes)
    a1 = [canonical_axis(a, x1.ndim, "tensordot") for a in a1]
    a2 = [canonical_axis(a, x2.ndim, "tensordot") for a in a2]
    if len(a1) != len(a2) or any(x1.shape[i] != x2.shape[j] for i, j in zip(a1, a2)):
        raise ValueError(f"tensordot: shape mismatch between {x1.shape} (axes {a1}) and {x2.shape} (axes {a2}).")
    letters = iter(string.ascii_letters)
    t1 = [next(letters) for _ in range(x1.ndim)]
    t2 = [next(letters) for _ in range(x2.ndim)]
    for i, j in zip(a1, a2):
        t2[j] = t1[i]
    out = [c for k, c in enumerate(t1) if k not in a1] + [c for k, c in enumerate(t2) if k not in a2]
    return Einsum(["".join(t1), "".join(t2)], "".join(out))(x1, x2)


def outer(x1, x2):
    from npkeras.ops.shaping import ravel

    return Einsum(["i", "j"], "ij")(ravel(x1), ravel(x2))


def inner(x1, x2):
    """Sum over the last axes (a scalar operand multiplies)."""
    x1, x2 = as_tensor(x1), as_tensor(x2)
    if x1.ndim == 0 or x2.ndim == 0:
        from npkeras.ops.math import multiply

        return multiply(x1, x2)
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"inner: the last axes of {x1.shape} and {x2.shape} must match.")
    return tensordot(x1, x2, axes=([-1], [-1]))


def vdot(x1, x2):
    from npkeras.ops.shaping import ravel

    x1, x2 = ravel(x1), ravel(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"vdot: the operands must have the same size. Received sizes {x1.shape[0]} and {x2.shape[0]}.")
    return Einsum(["i", "i"], "")(x1, x2)


class Cross(Function):
    """Cross product of 3-vectors along the last axis (broadcast); d/da = b x g, d/db = g x a."""

    saved = ("a", "b")

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.cross(a, b)

    def backward(self, gy):
        from npkeras.ops.broadcast import sum_to

        return sum_to(np.cross(self.b, gy), self.a.shape), sum_to(np.cross(gy, self.a), self.b.shape)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    from npkeras.ops.rearranging import moveaxis
    from npkeras.ops.shaping import getitem, pad

    if axis is not None:
        axisa = axisb = axisc = axis
    x1 = moveaxis(x1 := as_tensor(x1), canonical_axis(axisa, x1.ndim, "cross"), -1)
    x2 = moveaxis(x2 := as_tensor(x2), canonical_axis(axisb, x2.ndim, "cross"), -1)
    d1, d2 = x1.shape[-1], x2.shape[-1]
    if d1 not in (2, 3) or d2 not in (2, 3):
        raise ValueError(
            f"cross: incompatible dimensions for the cross product (dimension must be 2 or 3). Received {d1} and {d2}."
        )
    plane = d1 == d2 == 2
    if d1 == 2:
        x1 = pad(x1, [(0, 0)] * (x1.ndim - 1) + [(0, 1)])
    if d2 == 2:
        x2 = pad(x2, [(0, 0)] * (x2.ndim - 1) + [(0, 1)])
    out = Cross()(x1, x2)
    if plane:
        return getitem(out, (Ellipsis, 2))
    return moveaxis(out, -1, canonical_axis(axisc, out.ndim, "cross"))


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - Keras's name
    """Vector norms over one axis (or all, flattened), matrix norms over two ('fro', 'nuc', 1, -1, 2, -2, inf, -inf)."""
    from npkeras.ops import math, reduction
    from npkeras.ops.shaping import reshape
    from npkeras.ops.trigonometry import as_float

    x = as_float(x)
    if axis is None:
        if ord is None:  # the 2-norm of the flattened tensor (Frobenius for a matrix)
            return math.sqrt(reduction.sum(math.square(x), None, keepdims))
        if x.ndim not in (1, 2):
            raise ValueError(f"norm: `ord` needs `axis` for a tensor of rank {x.ndim}. Received ord={ord!r}")
        axis = tuple(range(x.ndim))
    axes = canonical_axes(axis, x.ndim, "norm")
    if len(axes) == 1:
        a = axes[0]
        if ord is None or ord == 2:
            return math.sqrt(reduction.sum(math.square(x), a, keepdims))
        if ord == np.inf:
            return reduction.max(math.abs(x), a, keepdims)
        if ord == -np.inf:
            return reduction.min(math.abs(x), a, keepdims)
        if ord == 0:
            return math.cast(reduction.sum(math.cast(x != 0, x.dtype), a, keepdims), x.dtype)
        if isinstance(ord, str):
            raise ValueError(f"norm: invalid `ord` {ord!r} for a vector norm.")
        return math.power(reduction.sum(math.power(math.abs(x), ord), a, keepdims), 1.0 / ord)
    if len(axes) != 2:
        raise ValueError(f"norm: `axis` must name one or two axes. Received axis={axis!r}")
    rows, cols = (canonical_axis(a, x.ndim, "norm") for a in axis)
    if ord in (None, "fro"):
        return math.sqrt(reduction.sum(math.square(x), axes, keepdims))
    if ord in (1, -1, np.inf, -np.inf):
        sum_axis, pick_axis = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = reduction.sum(math.abs(x), sum_axis, keepdims=True)
        pick = reduction.max if ord in (1, np.inf) else reduction.min
        y = pick(sums, pick_axis, keepdims=True)
        return y if keepdims else reshape(y, [n for k, n in enumerate(y.shape) if k not in axes])
    if ord in (2, -2, "nuc"):  # from the singular values of the matrices moved to the last two axes
        from npkeras.ops.matrix_functions import svd
        from npkeras.ops.rearranging import moveaxis

        s = svd(moveaxis(x, (rows, cols), (-2, -1)), compute_uv=False)
        y = {2: reduction.max, -2: reduction.min, "nuc": reduction.sum}[ord](s, -1)
        if keepdims:
            y = reshape(y, [1 if k in axes else n for k, n in enumerate(x.shape)])
        return y
    raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={ord}")


def kron(x1, x2):
    """The Kronecker product: every entry of x1 times the whole of x2 (ranks padded to match)."""
    from npkeras.ops.shaping import reshape

    a, b = as_tensor(x1), as_tensor(x2)
    n = max(a.ndim, b.ndim)
    a, b = reshape(a, (1,) * (n - a.ndim) + a.shape), reshape(b, (1,) * (n - b.ndim) + b.shape)
    left, right = string.ascii_letters[:n], string.ascii_letters[n : 2 * n]
    out = Einsum([left, right], "".join(p + q for p, q in zip(left, right)))(a, b)
    return reshape(out, tuple(p * q for p, q in zip(a.shape, b.shape)))


def vander(x, N=None, increasing=False):  # noqa: N803 - Keras's name
    """Columns x**(N-1), ..., x**0 (or ascending with increasing=True); differentiable in x."""
    from npkeras.ops.math import power
    from npkeras.ops.shaping import expand_dims

    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"vander: `x` must be 1-D. Received shape {x.shape}.")
    n = x.shape[0] if N is None else int(N)
    exponents = np.arange(n) if increasing else np.arange(n - 1, -1, -1)
    if x.dtype.kind != "f":
        return Tensor(np.vander(x.data, n, increasing))
    return power(expand_dims(x, -1), exponents.astype(x.dtype))


def corrcoef(x):
    """Pearson correlation of the rows of x (variables in rows, observations in columns)."""
    from npkeras.ops import math, reduction
    from npkeras.ops.matrices import diagonal
    from npkeras.ops.trigonometry import as_float

    x = as_float(x)
    if x.ndim != 2:
        raise ValueError(f"corrcoef: expected a 2-D input (variables in rows). Received shape {x.shape}.")
    centred = math.subtract(x, reduction.mean(x, axis=-1, keepdims=True))
    cov = math.matmul(centred, Einsum(["ij"], "ji")(centred))
    d = math.sqrt(diagonal(cov))
    return math.clip(math.divide(cov, outer(d, d)), -1.0, 1.0)


def cdist(x, y):
    """Euclidean distances between the rows of x and y over the last axis (batched)."""
    from npkeras.ops import math, reduction
    from npkeras.ops.shaping import expand_dims

    x, y = as_tensor(x), as_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError("`cdist` inputs must have rank >= 2")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("Last dimension of inputs to `cdist` must match")
    diff = math.subtract(expand_dims(x, -2), expand_dims(y, -3))
    return math.sqrt(reduction.sum(math.square(diff), axis=-1))


# keras.ops.linalg's namespace is this module: it also offers the matrix functions
from npkeras.ops.matrix_functions import (  # noqa: E402, F401
    cholesky,
    cholesky_inverse,
    det,
    eig,
    eigh,
    inv,
    lstsq,
    qr,
    solve,
    solve_triangular,
    svd,
)
