"""inv, det, slogdet, logdet, solve, solve_triangular, cholesky, cholesky_inverse, eigh, svd and the
forward-only eig, qr, lstsq, pinv, matrix_rank: values against NumPy, gradients, errors."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check

rng = np.random.default_rng(0)
A = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)  # well conditioned, batched
SPD = A @ np.swapaxes(A, -1, -2) + np.eye(3)


def test_inv_det_slogdet_logdet():
    np.testing.assert_allclose(ops.inv(A).data, np.linalg.inv(A))
    np.testing.assert_allclose(ops.det(A).data, np.linalg.det(A))
    sign, logabs = ops.slogdet(A)
    np.testing.assert_allclose(sign.data, np.linalg.slogdet(A)[0])
    np.testing.assert_allclose(logabs.data, np.linalg.slogdet(A)[1])
    np.testing.assert_allclose(ops.logdet(SPD).data, np.log(np.linalg.det(SPD)))
    assert gradient_check(ops.inv, A)
    assert gradient_check(ops.det, A)
    assert gradient_check(lambda t: ops.slogdet(t)[1], A)
    assert gradient_check(ops.logdet, SPD)


@pytest.mark.parametrize("b_shape", [(2, 3, 2), (2, 3), (3, 4)], ids=str)
def test_solve(b_shape):
    a = A if len(b_shape) != 2 or b_shape == (2, 3) else A[0]
    b = rng.standard_normal(b_shape)
    want = np.linalg.solve(a, b[..., None])[..., 0] if b.ndim == a.ndim - 1 else np.linalg.solve(a, b)
    np.testing.assert_allclose(ops.solve(a, b).data, want)
    assert gradient_check(ops.solve, a, b)


@pytest.mark.parametrize("lower", [True, False])
def test_solve_triangular_reads_one_triangle(lower):
    b = rng.standard_normal((2, 3, 2))
    tri = np.tril(A) if lower else np.triu(A)
    np.testing.assert_allclose(ops.solve_triangular(A, b, lower=lower).data, np.linalg.solve(tri, b))
    assert gradient_check(lambda s, t: ops.solve_triangular(s, t, lower=lower), A, b)


def test_solve_errors():
    with pytest.raises(ValueError, match="incompatible shapes"):
        ops.solve(A, rng.standard_normal((2, 4, 1)))
    with pytest.raises(ValueError, match="square"):
        ops.inv(rng.standard_normal((2, 3)))


def test_cholesky_and_cholesky_inverse():
    low = np.linalg.cholesky(SPD)
    np.testing.assert_allclose(ops.cholesky(SPD).data, low)
    np.testing.assert_allclose(ops.cholesky(SPD, upper=True).data, np.swapaxes(low, -1, -2))
    assert gradient_check(ops.cholesky, SPD)
    assert gradient_check(lambda t: ops.cholesky(t, upper=True), SPD)
    np.testing.assert_allclose(ops.cholesky_inverse(low).data, np.linalg.inv(SPD))
    upper = np.ascontiguousarray(np.swapaxes(low, -1, -2))
    np.testing.assert_allclose(ops.cholesky_inverse(upper, upper=True).data, np.linalg.inv(SPD))
    assert gradient_check(ops.cholesky_inverse, low)
    with pytest.raises(ValueError, match="positive definite"):
        ops.cholesky(-SPD)


def test_eigh_values_and_gradients():
    w, v = ops.eigh(SPD)
    want_w, want_v = np.linalg.eigh(SPD)
    np.testing.assert_allclose(w.data, want_w)
    np.testing.assert_allclose(np.abs(v.data), np.abs(want_v))  # eigenvectors up to sign
    assert gradient_check(lambda t: ops.eigh(t)[0], SPD)
    assert gradient_check(lambda t: ops.abs(ops.eigh(t)[1]), SPD)  # sign-invariant function of v


def test_svd():
    m = rng.standard_normal((2, 4, 3))
    np.testing.assert_allclose(ops.svd(m, compute_uv=False).data, np.linalg.svd(m, compute_uv=False))
    assert gradient_check(lambda t: ops.svd(t, compute_uv=False), m)
    u, s, vh = ops.svd(m, full_matrices=False)
    np.testing.assert_allclose((u.data * s.data[..., None, :]) @ vh.data, m)


def test_forward_only_functions():
    m = rng.standard_normal((4, 3))
    q, r = ops.qr(m)
    np.testing.assert_allclose(q.data @ r.data, m)
    assert ops.qr(m, mode="complete")[0].shape == (4, 4)
    with pytest.raises(ValueError, match="mode"):
        ops.qr(m, mode="economic")
    b = rng.standard_normal(4)
    np.testing.assert_allclose(ops.lstsq(m, b).data, np.linalg.lstsq(m, b, rcond=None)[0])
    np.testing.assert_allclose(ops.pinv(m).data, np.linalg.pinv(m))
    assert ops.matrix_rank(np.ones((3, 3))).data == 1 and ops.matrix_rank(A[0]).data == 3
    w, _ = ops.eig(A[0])
    np.testing.assert_allclose(np.sort_complex(w.data), np.sort_complex(np.linalg.eigvals(A[0])))


def test_linalg_namespace_holds_the_matrix_functions():
    assert ops.linalg.inv is ops.inv and ops.linalg.norm is ops.norm and ops.linalg.solve is ops.solve
