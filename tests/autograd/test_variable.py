"""Variable: creation, dtype, initializers, in-place assignment."""

import numpy as np
import pytest

from npkeras.autograd import Tensor, Variable


def test_default_dtype_is_float32():
    assert Variable(np.zeros((2, 3))).dtype == np.float32
    assert Variable([1.0, 2.0]).dtype == np.float32
    assert Variable("zeros", shape=(2,)).dtype == np.float32


def test_explicit_dtype_and_int_values():
    assert Variable(np.zeros(2), dtype="float64").dtype == np.float64
    v = Variable(np.array([1, 2, 3], dtype=np.int32))
    assert v.dtype == np.int32
    np.testing.assert_array_equal(v.data, [1, 2, 3])


def test_initial_array_is_copied():
    init = np.ones(3, dtype=np.float32)
    v = Variable(init)
    v.assign(np.zeros(3))
    np.testing.assert_array_equal(init, np.ones(3))


def test_initializer_string_with_shape():
    z = Variable("zeros", shape=(2, 3), name="z")
    assert z.shape == (2, 3)
    np.testing.assert_array_equal(z.data, np.zeros((2, 3)))
    o = Variable("ones", shape=[4])
    np.testing.assert_array_equal(o.data, np.ones(4))
    g = Variable("glorot_uniform", shape=(20, 30))
    limit = np.sqrt(6.0 / (20 + 30))
    assert g.shape == (20, 30) and g.dtype == np.float32
    assert np.all(np.abs(g.data) <= limit) and g.data.std() > 0


def test_initializer_callable_with_shape():
    v = Variable(lambda shape, dtype=None: np.full(shape, 7.0, dtype=dtype), shape=(2, 2))
    np.testing.assert_array_equal(v.data, np.full((2, 2), 7.0))
    assert v.dtype == np.float32


def test_initializer_without_shape_raises():
    with pytest.raises(ValueError, match="shape"):
        Variable("zeros")


def test_shape_argument_must_match_value():
    with pytest.raises(ValueError, match="shape"):
        Variable(np.zeros(3), shape=(4,))


def test_assign_is_in_place():
    v = Variable(np.zeros((2, 2)), name="kernel")
    buffer = v.data
    out = v.assign(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert out is v
    assert v.data is buffer
    np.testing.assert_array_equal(buffer, [[1.0, 2.0], [3.0, 4.0]])
    assert v.dtype == np.float32


def test_assign_add_and_assign_sub_are_in_place():
    v = Variable(np.array([1.0, 2.0]))
    buffer = v.data
    v.assign_add(np.array([0.5, 0.5]))
    assert v.data is buffer
    np.testing.assert_allclose(buffer, [1.5, 2.5])
    v.assign_sub([1.0, 3.0])
    assert v.data is buffer
    np.testing.assert_allclose(buffer, [0.5, -0.5])
    assert v.dtype == np.float32


def test_assign_from_tensor():
    v = Variable(np.zeros(2))
    v.assign(Tensor(np.array([3.0, 4.0])))
    np.testing.assert_array_equal(v.data, [3.0, 4.0])


def test_assign_shape_mismatch_message():
    v = Variable(np.zeros((2, 3)), name="dense_kernel")
    with pytest.raises(ValueError) as info:
        v.assign(np.zeros((3, 2)))
    msg = str(info.value)
    assert "dense_kernel" in msg
    assert "(2, 3)" in msg and "(3, 2)" in msg
    np.testing.assert_array_equal(v.data, np.zeros((2, 3)))


def test_trainable_flags_and_name():
    v = Variable(np.zeros(2), name="w")
    assert v.trainable and v.requires_grad and v.name == "w"
    frozen = Variable(np.zeros(2), trainable=False)
    assert not frozen.trainable and not frozen.requires_grad


def test_variable_behaves_like_tensor_in_ops():
    v = Variable(np.array([1.0, 2.0]), dtype="float64")
    y = v * v
    assert isinstance(y, Tensor) and not isinstance(y, Variable)
    np.testing.assert_array_equal(np.asarray(y), [1.0, 4.0])
    np.testing.assert_array_equal(np.asarray(v), v.value)
    text = repr(Variable(np.zeros(2), name="q"))
    assert "Variable" in text and "q" in text and "(2,)" in text and "float32" in text
