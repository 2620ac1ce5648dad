"""Python operators and NumPy ufuncs on Tensors behave like NumPy and stay differentiable."""

import numpy as np
import pytest

from npkeras.autograd import Tensor, gradient_check


def pair(seed=0):
    r = np.random.default_rng(seed)
    return r.standard_normal((3, 4)), r.uniform(0.5, 2.0, (3, 4))


@pytest.mark.parametrize(
    "fn, ref",
    [
        (lambda a, b: a + b, np.add),
        (lambda a, b: a - b, np.subtract),
        (lambda a, b: a * b, np.multiply),
        (lambda a, b: a / b, np.divide),
        (lambda a, b: b**a, np.power),
    ],
    ids=["add", "sub", "mul", "div", "pow"],
)
def test_binary_operators(fn, ref):
    a, b = pair()
    out = fn(Tensor(a), Tensor(b))
    assert isinstance(out, Tensor)
    expected = ref(b, a) if ref is np.power else ref(a, b)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    assert gradient_check(fn, a, b)


def test_matmul_and_unary_operators():
    r = np.random.default_rng(1)
    a, b = r.standard_normal((3, 4)), r.standard_normal((4, 2))
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).data, a @ b, rtol=1e-12)
    assert gradient_check(lambda x, y: x @ y, a, b)
    np.testing.assert_array_equal((-Tensor(a)).data, -a)
    assert gradient_check(lambda x: -x, a)
    t = Tensor(a)
    assert +t is t
    np.testing.assert_array_equal(abs(Tensor(a)).data, np.abs(a))


@pytest.mark.parametrize(
    "fn, ref",
    [
        (lambda t: 2.0 + t, lambda a: 2.0 + a),
        (lambda t: 2.0 - t, lambda a: 2.0 - a),
        (lambda t: 2.0 * t, lambda a: 2.0 * a),
        (lambda t: 2.0 / t, lambda a: 2.0 / a),
        (lambda t: 2.0**t, lambda a: 2.0**a),
        (lambda t: t**2, lambda a: a**2),
        (lambda t: t - 1, lambda a: a - 1),
    ],
    ids=["radd", "rsub", "rmul", "rtruediv", "rpow", "pow2", "sub_int"],
)
def test_python_scalar_operators(fn, ref):
    a = np.random.default_rng(2).uniform(0.5, 2.0, (2, 3))
    out = fn(Tensor(a))
    np.testing.assert_allclose(out.data, ref(a), rtol=1e-12)
    assert gradient_check(fn, a)
    assert fn(Tensor(a.astype(np.float32))).dtype == np.float32


@pytest.mark.parametrize(
    "fn",
    [
        lambda arr, t: arr + t,
        lambda arr, t: arr - t,
        lambda arr, t: arr * t,
        lambda arr, t: arr / t,
        lambda arr, t: arr**t,
    ],
    ids=["add", "sub", "mul", "div", "pow"],
)
def test_ndarray_on_the_left_stays_differentiable(fn):
    arr, b = pair(3)
    arr = np.abs(arr) + 0.5
    out = fn(arr, Tensor(b))
    assert isinstance(out, Tensor) and out.creator is None  # constant inputs: no graph
    np.testing.assert_allclose(out.data, fn(arr, b), rtol=1e-12)
    assert gradient_check(lambda t: fn(arr, t), b)
    t = Tensor(b, requires_grad=True)
    assert fn(arr, t).creator is not None


def test_ndarray_matmul_tensor():
    r = np.random.default_rng(4)
    a, b = r.standard_normal((2, 3)), r.standard_normal((3, 4))
    out = a @ Tensor(b)
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.data, a @ b, rtol=1e-12)
    assert gradient_check(lambda t: a @ t, b)


@pytest.mark.parametrize(
    "ufunc", [np.exp, np.log, np.sqrt, np.square, np.abs, np.negative, np.tanh], ids=lambda f: f.__name__
)
def test_numpy_ufuncs_are_differentiable(ufunc):
    x = np.random.default_rng(5).uniform(0.5, 2.0, (2, 3))
    out = ufunc(Tensor(x))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.data, ufunc(x), rtol=1e-12)
    assert gradient_check(lambda t: ufunc(t), x)


def test_binary_ufuncs_are_differentiable():
    r = np.random.default_rng(6)
    a, b = r.standard_normal((2, 3)), r.standard_normal((2, 3)) + 3.0
    assert gradient_check(lambda x, y: np.maximum(x, y), a, b)
    assert gradient_check(lambda x, y: np.minimum(x, y), a, b)
    assert gradient_check(lambda x, y: np.add(x, y), a, b)
    assert gradient_check(lambda x, y: np.matmul(x, y.T), a, b)


def test_other_ufuncs_return_plain_arrays():
    x = Tensor(np.array([0.1, 0.2]))
    out = np.sin(x)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, np.sin([0.1, 0.2]))
    np.testing.assert_allclose(np.arctan2(x, 1.0), np.arctan2([0.1, 0.2], 1.0))


def test_comparison_operators_follow_numpy():
    a = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    t = Tensor(a)
    for got, want in [
        (t > 2, a > 2),
        (t >= 2, a >= 2),
        (t < 2, a < 2),
        (t <= 2, a <= 2),
        (t == 2, a == 2),
        (t != 2, a != 2),
        (t == Tensor(a.T.copy().T), a == a),
        (2 < t, 2 < a),
    ]:
        assert isinstance(got, Tensor) and got.dtype == np.bool_
        np.testing.assert_array_equal(got.data, want)
    left = a > t  # ndarray on the left: NumPy's own comparison
    np.testing.assert_array_equal(np.asarray(left), a > a)
    assert np.asarray(left).dtype == np.bool_
    assert bool(Tensor(np.array(3.0)) > 2) is True


def test_numpy_functions_accept_tensors():
    data = np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    t = Tensor(data)
    assert float(np.sum(t)) == 21.0
    np.testing.assert_allclose(np.asarray(np.sum(t, axis=0)), [5.0, 7.0, 9.0])
    assert float(np.mean(t)) == 3.5
    assert float(np.max(t)) == 6.0
    assert float(np.min(t)) == 1.0
    np.testing.assert_array_equal(np.asarray(np.reshape(t, (3, 2))), data.reshape(3, 2))
    np.testing.assert_array_equal(np.concatenate([t, t]), np.concatenate([data, data]))
    assert np.allclose(t, data)


def test_method_chains_are_differentiable():
    x = np.random.default_rng(7).standard_normal((2, 3))
    assert gradient_check(lambda t: (t.T.reshape(3, 2) * 2.0).sum(axis=1, keepdims=True), x)
    assert gradient_check(lambda t: t.mean(axis=0) + t.max(axis=1)[:, None].sum(axis=0), x)
    assert gradient_check(lambda t: t.transpose(1, 0)[0], x)
