"""Element-wise math, where/clip/cast and matmul/dot: values and gradients."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import Tensor, gradient_check


def rng(seed=0):
    return np.random.default_rng(seed)


def away_from_zero(shape, seed=0):
    r = rng(seed)
    return r.uniform(0.5, 2.0, shape) * r.choice([-1.0, 1.0], shape)


# ---- gradients ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "op", [ops.add, ops.subtract, ops.multiply, ops.divide, ops.true_divide], ids=lambda f: f.__name__
)
def test_binary_arithmetic_gradients(op):
    a = rng(1).standard_normal((3, 4))
    b = away_from_zero((3, 4), seed=2)
    assert gradient_check(op, a, b)


def test_negative_gradient():
    assert gradient_check(ops.negative, rng(3).standard_normal((2, 5)))


def test_power_gradient_both_arguments():
    base = rng(4).uniform(0.5, 2.0, (3, 4))
    exponent = rng(5).uniform(-1.5, 2.5, (3, 4))
    assert gradient_check(ops.power, base, exponent)
    assert gradient_check(ops.power, base, np.array(1.7))  # broadcast scalar exponent


def test_power_with_constant_integer_exponent_and_negative_base():
    x = rng(6).standard_normal((3, 3))
    assert gradient_check(lambda t: t**3, x)
    assert gradient_check(lambda t: ops.power(t, 2), x)


@pytest.mark.parametrize(
    "op, make",
    [
        (ops.exp, lambda: rng(7).standard_normal((3, 4))),
        (ops.log, lambda: rng(8).uniform(0.2, 3.0, (3, 4))),
        (ops.sqrt, lambda: rng(9).uniform(0.2, 3.0, (3, 4))),
        (ops.square, lambda: rng(10).standard_normal((3, 4))),
        (ops.abs, lambda: away_from_zero((3, 4), seed=11)),
        (ops.absolute, lambda: away_from_zero((5,), seed=12)),
    ],
    ids=["exp", "log", "sqrt", "square", "abs", "absolute"],
)
def test_unary_gradients(op, make):
    assert gradient_check(op, make())


@pytest.mark.parametrize("op", [ops.maximum, ops.minimum], ids=["maximum", "minimum"])
def test_maximum_minimum_gradients(op):
    a = rng(13).standard_normal((3, 4))
    b = a + away_from_zero((3, 4), seed=14)
    assert gradient_check(op, a, b)
    # broadcast (3, 4) against (4,)
    c = np.array([-3.0, -1.5, 1.5, 3.0]) + 0.25
    assert gradient_check(op, a, c)


def test_maximum_tie_gives_gradient_to_first_argument():
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([1.0, 3.0]), requires_grad=True)
    ops.sum(ops.maximum(a, b)).backward()
    np.testing.assert_array_equal(a.grad, [1.0, 0.0])
    np.testing.assert_array_equal(b.grad, [0.0, 1.0])


def test_where_gradient():
    cond = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
    a, b = rng(15).standard_normal((3, 4)), rng(16).standard_normal((3, 4))
    assert gradient_check(lambda x, y: ops.where(cond, x, y), a, b)
    # broadcasting branches: (4,) and scalar
    assert gradient_check(lambda x, y: ops.where(cond, x, y), rng(17).standard_normal(4), np.array(0.5))


def test_where_gradient_values():
    cond = np.array([True, False, True])
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    ops.sum(ops.where(cond, a, b) * np.array([1.0, 2.0, 3.0])).backward()
    np.testing.assert_array_equal(a.grad, [1.0, 0.0, 3.0])
    np.testing.assert_array_equal(b.grad, [0.0, 2.0, 0.0])


def test_clip_gradient():
    x = np.array([[-1.7, -0.6, 0.3], [0.8, 1.4, 2.2]])
    assert gradient_check(lambda t: ops.clip(t, -1.0, 1.0), x)
    t = Tensor(x, requires_grad=True)
    ops.sum(ops.clip(t, -1.0, 1.0)).backward()
    np.testing.assert_array_equal(t.grad, [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])


def test_cast_gradient():
    x = rng(18).uniform(-2.0, 2.0, (3, 3))
    # float64 -> float32 -> back: derivative of the identity (float32 rounding needs a wide eps)
    assert gradient_check(lambda t: ops.cast(ops.cast(t, "float32"), "float64"), x, eps=1e-2, rtol=1e-3, atol=1e-4)
    t = Tensor(x.astype(np.float32), requires_grad=True)
    y = ops.cast(t, "float64")
    assert y.dtype == np.float64
    ops.sum(y * 3.0).backward()
    assert t.grad.dtype == np.float32
    np.testing.assert_array_equal(t.grad, np.full((3, 3), 3.0))


def test_cast_same_dtype_is_identity_and_int_source_gets_no_gradient():
    t = Tensor(np.ones(2, dtype=np.float32))
    assert ops.cast(t, "float32") is t
    i = Tensor(np.array([1, 2]), requires_grad=True)
    x = Tensor(np.array([1.0, 1.0]), requires_grad=True)
    ops.sum(ops.cast(i, "float64") * x).backward()
    assert i.grad is None
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])


@pytest.mark.parametrize(
    "sa, sb",
    [
        ((3, 4), (4, 5)),
        ((4,), (4, 5)),
        ((3, 4), (4,)),
        ((2, 3, 4), (2, 4, 5)),
        ((2, 3, 4), (4, 5)),
        ((3, 4), (2, 4, 5)),
        ((2, 1, 3, 4), (5, 4, 2)),
        ((4,), (2, 4, 5)),
        ((2, 3, 4), (4,)),
    ],
    ids=str,
)
def test_matmul_gradient(sa, sb):
    a, b = rng(19).standard_normal(sa), rng(20).standard_normal(sb)
    out = ops.matmul(Tensor(a), Tensor(b))
    np.testing.assert_allclose(out.data, np.matmul(a, b), rtol=1e-12)
    assert gradient_check(ops.matmul, a, b)


def test_matmul_vector_vector_gradient():
    a, b = rng(21).standard_normal(4), rng(22).standard_normal(4)
    assert float(ops.matmul(Tensor(a), Tensor(b))) == pytest.approx(a @ b)
    assert gradient_check(ops.matmul, a, b)


def test_matmul_rejects_scalars():
    with pytest.raises(ValueError, match="scalar"):
        ops.matmul(Tensor(np.array(2.0)), Tensor(np.ones(3)))


@pytest.mark.parametrize("sa, sb", [((3, 4), (4, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((), (2, 3))], ids=str)
def test_dot_gradient(sa, sb):
    a, b = rng(23).standard_normal(sa), rng(24).standard_normal(sb)
    np.testing.assert_allclose(ops.dot(Tensor(a), Tensor(b)).data, np.dot(a, b), rtol=1e-12)
    assert gradient_check(ops.dot, a, b)


def test_dot_of_two_vectors():
    a, b = rng(25).standard_normal(5), rng(26).standard_normal(5)
    assert float(ops.dot(a, b)) == pytest.approx(np.dot(a, b))
    assert gradient_check(ops.dot, a, b)


# ---- values against NumPy ------------------------------------------------------------


def test_keras_named_values_match_numpy():
    a = rng(27).standard_normal((3, 4)).astype(np.float32)
    b = rng(28).standard_normal((4, 2)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(ops.matmul(a, b)), a @ b, rtol=1e-6)
    assert ops.matmul(a, b).dtype == np.float32
    np.testing.assert_array_equal(np.asarray(ops.clip(a, -0.5, 0.5)), np.clip(a, -0.5, 0.5))
    assert ops.clip(a, -0.5, 0.5).dtype == np.float32
    cond = a > 0
    np.testing.assert_array_equal(np.asarray(ops.where(cond, a, 0.0)), np.where(cond, a, 0.0))
    assert ops.where(cond, a, 0.0).dtype == np.float32
    idx = ops.where(cond)
    for got, want in zip(idx, np.where(cond)):
        np.testing.assert_array_equal(np.asarray(got), want)
    with pytest.raises(ValueError):
        ops.where(cond, a)
    pos = np.abs(a) + 0.1
    for op, ref in [
        (ops.exp, np.exp),
        (ops.log, np.log),
        (ops.sqrt, np.sqrt),
        (ops.square, np.square),
        (ops.abs, np.abs),
        (ops.negative, np.negative),
    ]:
        out = op(pos)
        assert out.dtype == np.float32
        np.testing.assert_allclose(np.asarray(out), ref(pos), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(ops.power(pos, 1.5)), pos**1.5, rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(ops.maximum(a, 0.0)), np.maximum(a, 0.0))
    np.testing.assert_array_equal(np.asarray(ops.minimum(a, 0.0)), np.minimum(a, 0.0))


def test_python_scalars_are_weakly_typed():
    x = Tensor(np.ones(3, dtype=np.float32))
    assert ops.add(x, 1.5).dtype == np.float32
    assert ops.multiply(2.0, x).dtype == np.float32
    assert ops.power(x, 2).dtype == np.float32
    i = Tensor(np.array([1, 2, 3], dtype=np.int32))
    assert ops.add(i, 1).dtype == np.int32


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: t * 2.0,
        lambda t: t / 3.0,
        lambda t: t**2,
        lambda t: ops.exp(t),
        lambda t: ops.sqrt(ops.abs(t) + 1.0),
        lambda t: ops.maximum(t, 0.1),
        lambda t: ops.where(np.array([True, False, True]), t, 0.0),
        lambda t: ops.clip(t, -0.5, 0.5),
        lambda t: ops.matmul(t[None, :], np.ones((3, 2), np.float32)),
    ],
)
def test_float32_inputs_get_float32_gradients(fn):
    x = Tensor(np.array([0.3, -1.2, 2.0], dtype=np.float32), requires_grad=True)
    ops.sum(fn(x)).backward()
    assert x.grad.dtype == np.float32


def test_cast_to_integer_blocks_the_gradient():
    # Rounding to an integer is flat almost everywhere: TensorFlow/Keras give no gradient through it.
    x = Tensor(np.array([1.7, -2.3]), requires_grad=True)
    y = ops.cast(x, "int32")
    np.testing.assert_array_equal(y.data, [1, -2])
    ops.sum(y * 1.0).backward()
    assert x.grad is None or np.all(x.grad == 0)
