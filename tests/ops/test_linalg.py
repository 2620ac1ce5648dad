"""einsum, tensordot, outer, inner, vdot, cross, norm: values against NumPy, gradients, errors."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check


def r(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize(
    "subscripts, shapes",
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ij,jk,k->i", [(2, 3), (3, 4), (4,)]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
        ("...ij,...jk", [(5, 2, 3), (5, 3, 2)]),
        ("ij->", [(3, 4)]),
        ("ij->j", [(3, 4)]),
        ("ji", [(3, 4)]),
        ("ij,kl->il", [(2, 3), (4, 5)]),
        ("i,i", [(4,), (4,)]),
        ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_einsum(subscripts, shapes):
    xs = [r(*s, seed=i) for i, s in enumerate(shapes)]
    np.testing.assert_allclose(ops.einsum(subscripts, *xs).data, np.einsum(subscripts, *xs), rtol=1e-12)
    assert gradient_check(lambda *ts: ops.einsum(subscripts, *ts), *xs)


def test_einsum_errors():
    with pytest.raises(ValueError, match="operands"):
        ops.einsum("ij,jk->ik", r(2, 3))
    with pytest.raises(ValueError, match="subscripts"):
        ops.einsum("ijk->i", r(2, 3))


@pytest.mark.parametrize("axes", [2, 1, 0, ([0, 2], [0, 1]), ([-1], [1])], ids=str)
def test_tensordot(axes):
    a = r(3, 4, 5)
    b = {2: r(4, 5, 2), 1: r(5, 2), 0: r(2)}.get(axes if np.isscalar(axes) else None)
    if b is None:
        b = r(3, 5, 2) if axes == ([0, 2], [0, 1]) else r(2, 5, 3)
    np.testing.assert_allclose(ops.tensordot(a, b, axes).data, np.tensordot(a, b, axes), rtol=1e-12)
    assert gradient_check(lambda s, t: ops.tensordot(s, t, axes), a, b)


def test_tensordot_shape_mismatch():
    with pytest.raises(ValueError, match="tensordot"):
        ops.tensordot(r(2, 3), r(4, 5), 1)


def test_outer_inner_vdot():
    a, b, m = r(3), r(4, seed=1), r(2, 3, seed=2)
    np.testing.assert_allclose(ops.outer(a, b).data, np.outer(a, b))
    np.testing.assert_allclose(ops.outer(m, b).data, np.outer(m, b))
    np.testing.assert_allclose(ops.inner(m, m).data, np.inner(m, m))
    np.testing.assert_allclose(ops.inner(a, a).data, np.inner(a, a))
    np.testing.assert_allclose(ops.vdot(m, m).data, np.vdot(m, m))
    assert gradient_check(ops.outer, m, b)
    assert gradient_check(ops.inner, m, r(4, 3, seed=3))
    assert gradient_check(ops.vdot, m, r(3, 2, seed=4))
    with pytest.raises(ValueError, match="vdot"):
        ops.vdot(a, b)


def test_cross():
    u, v = r(4, 3), r(4, 3, seed=1)
    np.testing.assert_allclose(ops.cross(u, v).data, np.cross(u, v))
    np.testing.assert_allclose(ops.cross(u.T, v.T, axis=0).data, np.cross(u.T, v.T, axis=0))
    np.testing.assert_allclose(ops.cross(u[:, :2], v[:, :2]).data, u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0])
    assert gradient_check(ops.cross, u, v)
    assert gradient_check(ops.cross, u, v[:1])  # broadcast
    ut, vt = np.ascontiguousarray(u.T), np.ascontiguousarray(v.T)  # gradient_check perturbs C-ordered arrays only
    assert gradient_check(lambda s, t: ops.cross(s, t, axisa=0, axisb=0), ut, vt)
    with pytest.raises(ValueError, match="dimension must be 2 or 3"):
        ops.cross(r(4), r(4))


@pytest.mark.parametrize(
    "ord_, axis",
    [
        (None, None),
        (None, 1),
        (2, -1),
        (1, 0),
        (3, 2),
        (np.inf, 1),
        (-np.inf, 1),
        ("fro", (0, 2)),
        (1, (0, 1)),
        (np.inf, (2, 1)),
        (-1, (1, 2)),
        (-np.inf, (0, 2)),
    ],
    ids=str,
)
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm(ord_, axis, keepdims):
    x = r(3, 4, 5)
    want = np.linalg.norm(x, ord_, axis, keepdims=keepdims)
    got = ops.norm(x, ord_, axis, keepdims)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-12)
    assert gradient_check(lambda t: ops.norm(t, ord_, axis, keepdims), x)


@pytest.mark.parametrize("ord_", [1, 3, np.inf, 0, "fro", -1])
def test_norm_of_vectors_and_matrices_without_axis(ord_):
    x = r(5) if ord_ != "fro" else r(3, 4)
    if ord_ == -1:
        x = r(3, 4)
    np.testing.assert_allclose(ops.norm(x, ord_).data, np.linalg.norm(x, ord_), rtol=1e-12)


def test_norm_errors_and_integer_input():
    assert ops.norm(np.array([3, 4])).data == 5.0
    assert ops.norm(np.array([3, 4])).dtype == np.float32
    with pytest.raises(ValueError, match="axis"):
        ops.norm(r(2, 3, 4), 1)
    with pytest.raises(np.exceptions.AxisError, match="norm"):
        ops.norm(r(2, 3), axis=2)
    with pytest.raises(ValueError, match="Invalid `ord`"):
        ops.norm(r(2, 3), "max")


@pytest.mark.parametrize("ord_", [2, -2, "nuc"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_spectral_and_nuclear_norms(ord_, keepdims):
    x = r(3, 4, 5)
    want = np.linalg.norm(x, ord_, (2, 0), keepdims=keepdims)
    np.testing.assert_allclose(ops.norm(x, ord_, (2, 0), keepdims).data, want)
    np.testing.assert_allclose(ops.norm(x[0], ord_).data, np.linalg.norm(x[0], ord_))
    assert gradient_check(lambda t: ops.norm(t, ord_, (2, 0), keepdims), x)


def test_kron_vander():
    a, b, v = r(2, 3), r(3, 2, seed=1), r(4, seed=2)
    np.testing.assert_allclose(ops.kron(a, b).data, np.kron(a, b))
    np.testing.assert_allclose(ops.kron(a, v).data, np.kron(a, v))
    assert gradient_check(ops.kron, a, b)
    np.testing.assert_allclose(ops.vander(v).data, np.vander(v))
    np.testing.assert_allclose(ops.vander(v, 3, increasing=True).data, np.vander(v, 3, increasing=True))
    np.testing.assert_array_equal(ops.vander(np.array([2, 3]), 3).data, [[4, 2, 1], [9, 3, 1]])
    assert gradient_check(lambda t: ops.vander(t, 3), v)


def test_corrcoef_cdist():
    x, y = r(3, 5), r(4, 5, seed=1)
    np.testing.assert_allclose(ops.corrcoef(x).data, np.corrcoef(x))
    assert gradient_check(ops.corrcoef, x)
    want = np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1))
    np.testing.assert_allclose(ops.cdist(x, y).data, want)
    assert gradient_check(ops.cdist, x, y)
    assert ops.cdist(r(2, 3, 5), r(2, 4, 5)).shape == (2, 3, 4)
    with pytest.raises(ValueError, match="Last dimension"):
        ops.cdist(x, r(2, 4))
