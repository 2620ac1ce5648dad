"""Matrix functions over the last two axes (batched): inv, det, slogdet, logdet, solve, solve_triangular,
cholesky, cholesky_inverse, eigh, svd, qr, lstsq, pinv, matrix_rank, eig.

Backward passes follow the standard identities (TensorFlow's): d inv = -inv^T g inv^T, d det = g det inv^T,
solve's b-gradient is solve(a^T, g), cholesky's and eigh's are the symmetric-matrix formulas.
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import Tensor
from npkeras.ops.broadcast import sum_to
from npkeras.ops.trigonometry import as_float


def _t(a):
    return np.swapaxes(a, -1, -2)


def _square(x, op_name):
    x = as_float(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"{op_name}: expected a square matrix (rank >= 2). Received input with shape {x.shape}")
    return x


class Inv(Function):
    saved = ("y",)

    def forward(self, a):
        self.y = np.linalg.inv(a)
        return self.y

    def backward(self, g):
        yt = _t(self.y)
        return -yt @ g @ yt


class Det(Function):
    saved = ("a", "d")

    def forward(self, a):
        self.a, self.d = a, np.linalg.det(a)
        return self.d

    def backward(self, g):
        return (g * self.d)[..., None, None] * _t(np.linalg.inv(self.a))


class Slogdet(Function):
    """(sign, log|det|); the gradient of log|det| is inv(a)^T, the sign has none."""

    saved = ("a",)

    def forward(self, a):
        self.a = a
        sign, logabs = np.linalg.slogdet(a)
        return sign, logabs

    def backward(self, g_sign, g_log):
        if g_log is None:
            return np.zeros_like(self.a)
        return g_log[..., None, None] * _t(np.linalg.inv(self.a))


class Solve(Function):
    """x = a^-1 b for b of shape (..., n, k)."""

    saved = ("a", "x")

    def __init__(self, lower=None):
        self.lower = lower  # None: a general matrix; True/False: only that triangle of a is read

    def forward(self, a, b):
        if self.lower is not None:
            a = np.tril(a) if self.lower else np.triu(a)
        self.a, self.x = a, np.linalg.solve(a, b)
        return self.x

    def backward(self, g):
        gb = np.linalg.solve(_t(self.a), g)
        ga = None
        if self.input_requires_grad(0):
            ga = -gb @ _t(self.x)
            if self.lower is not None:
                ga = np.tril(ga) if self.lower else np.triu(ga)
            ga = sum_to(ga, self.inputs[0].shape)
        return ga, sum_to(gb, self.inputs[1].shape)


class Cholesky(Function):
    """L with a = L L^T (the lower triangle of a is read); backward by Murray's formula."""

    saved = ("low",)

    def forward(self, a):
        try:
            self.low = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise ValueError("cholesky: the input is not positive definite.") from None
        return self.low

    def backward(self, g):
        low = self.low
        phi = np.tril(_t(low) @ g)
        phi[..., np.arange(low.shape[-1]), np.arange(low.shape[-1])] *= 0.5
        inv_low = np.linalg.inv(low)
        s = _t(inv_low) @ phi @ inv_low
        s = 0.5 * (s + _t(s))
        return _lower_part(s)


def _lower_part(sym):
    """The gradient for an op that reads a's lower triangle: 2 * tril(sym) with the diagonal once."""
    n = sym.shape[-1]
    out = np.tril(sym + _t(sym))
    out[..., np.arange(n), np.arange(n)] *= 0.5
    return out


class Eigh(Function):
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix from its lower triangle."""

    saved = ("v", "w")

    def forward(self, a):
        self.w, self.v = np.linalg.eigh(a)
        return self.w, self.v

    def backward(self, gw, gv):
        w, v = self.w, self.v
        inner = np.zeros(v.shape, v.dtype) if gw is None else gw[..., None, :] * np.eye(w.shape[-1], dtype=v.dtype)
        if gv is not None:
            with np.errstate(divide="ignore"):
                f = 1.0 / (w[..., None, :] - w[..., :, None])
            f[..., np.arange(w.shape[-1]), np.arange(w.shape[-1])] = 0
            inner = inner + f * (_t(v) @ gv)
        return _lower_part(v @ inner @ _t(v))


class SingularValues(Function):
    """The singular values (descending); their gradient is U diag(g) V^T."""

    saved = ("u", "vh")

    def forward(self, a):
        self.u, s, self.vh = np.linalg.svd(a, full_matrices=False)
        return s

    def backward(self, g):
        return (self.u * g[..., None, :]) @ self.vh


def inv(x):
    return Inv()(_square(x, "inv"))


def det(x):
    return Det()(_square(x, "det"))


def slogdet(x):
    return Slogdet()(_square(x, "slogdet"))


def logdet(x):
    """log det(x) of a positive definite matrix."""
    return slogdet(x)[1]


def _solve(a, b, op_name, lower):
    from npkeras.ops.shaping import expand_dims, squeeze

    a, b = _square(a, op_name), as_float(b)
    vector = b.ndim == a.ndim - 1
    if (vector and b.shape[-1] != a.shape[-1]) or (not vector and b.shape[-2] != a.shape[-2]):
        raise ValueError(
            f"{op_name}: incompatible shapes between `a` and `b`. Received: a.shape={a.shape}, b.shape={b.shape}"
        )
    if vector:
        return squeeze(Solve(lower)(a, expand_dims(b, -1)), -1)
    return Solve(lower)(a, b)


def solve(a, b):
    return _solve(a, b, "solve", None)


def solve_triangular(a, b, lower=False):
    return _solve(a, b, "solve_triangular", bool(lower))


def cholesky(x, upper=False):
    from npkeras.ops.rearranging import swapaxes

    low = Cholesky()(_square(x, "cholesky"))
    return swapaxes(low, -1, -2) if upper else low


def cholesky_inverse(x, upper=False):
    """The inverse of the matrix whose Cholesky factor is x (lower, or upper with upper=True)."""
    from npkeras.ops.math import matmul
    from npkeras.ops.rearranging import swapaxes

    x = _square(x, "cholesky_inverse")
    identity = np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape)
    inv_factor = solve_triangular(x, identity, lower=not upper)
    if upper:
        return matmul(inv_factor, swapaxes(inv_factor, -1, -2))
    return matmul(swapaxes(inv_factor, -1, -2), inv_factor)


def eigh(x):
    return Eigh()(_square(x, "eigh"))


def eig(x):
    """Eigenvalues and eigenvectors of a general matrix (complex in general; no gradient)."""
    w, v = np.linalg.eig(_square(x, "eig").data)
    return Tensor(w), Tensor(v)


def svd(x, full_matrices=True, compute_uv=True):
    """(u, s, vh) or, with compute_uv=False, the singular values, which are differentiable."""
    x = as_float(x)
    if x.ndim < 2:
        raise ValueError(f"svd: expected input to have rank >= 2. Received input with shape {x.shape}")
    if not compute_uv:
        return SingularValues()(x)
    u, s, vh = np.linalg.svd(x.data, full_matrices=full_matrices)
    return Tensor(u), Tensor(s), Tensor(vh)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(
            f"`mode` argument value not supported. Expected one of {{'reduced', 'complete'}}. Received: mode={mode}"
        )
    q, r = np.linalg.qr(as_float(x).data, mode=mode)
    return Tensor(q), Tensor(r)


def lstsq(a, b, rcond=None):
    a, b = as_float(a), as_float(b)
    return Tensor(np.linalg.lstsq(a.data, b.data, rcond=rcond)[0])


def pinv(x, rcond=None):
    x = as_float(x)
    return Tensor(np.linalg.pinv(x.data, rcond=1e-15 if rcond is None else rcond))


def matrix_rank(x, tol=None):
    return Tensor(np.asarray(np.linalg.matrix_rank(as_float(x).data, tol=tol), dtype=np.int32))
