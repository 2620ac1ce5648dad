"""Tensor: the array protocol, NumPy-like methods, repr, dtype rules, graph helpers."""

import numpy as np
import pytest

import npkeras
from npkeras import ops
from npkeras.autograd import Tensor, as_tensor


def test_asarray_returns_the_underlying_array():
    data = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    t = Tensor(data)
    assert np.asarray(t) is data
    assert t.numpy() is data
    assert np.asarray(t, dtype=np.float64).dtype == np.float64


def test_np_array_copies_by_default():
    # np.array(x) must return a new array (copy=True), so writing to it leaves the tensor alone.
    t = Tensor(np.array([1.0, 2.0, 3.0], dtype=np.float32))
    a = np.array(t)
    a[0] = 99.0
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])


def test_float64_conversion_rules():
    assert Tensor([1.0, 2.0]).dtype == np.float32  # Python floats become floatx
    assert Tensor(1.5).dtype == np.float32
    assert Tensor(np.array([1.0])).dtype == np.float64  # an explicit ndarray keeps its dtype
    assert Tensor([1, 2]).dtype.kind == "i"
    assert as_tensor(2.0).dtype == np.float32
    t = Tensor(np.ones(2))
    assert as_tensor(t) is t
    assert npkeras.ops.convert_to_tensor(t, "float32").dtype == np.float32  # a differentiable cast


def test_shape_properties_len_and_iteration():
    t = Tensor(np.arange(12.0).reshape(3, 4))
    assert t.shape == (3, 4) and t.ndim == 2 and t.size == 12 and t.dtype == np.float64
    assert len(t) == 3
    rows = list(t)
    assert len(rows) == 3 and all(isinstance(r, Tensor) for r in rows)
    np.testing.assert_array_equal(rows[2].data, [8.0, 9.0, 10.0, 11.0])
    with pytest.raises(TypeError):
        len(Tensor(np.array(1.0)))


def test_scalar_conversions():
    t = Tensor(np.array(2.5))
    assert float(t) == 2.5 and isinstance(float(t), float)
    assert int(Tensor(np.array(7))) == 7
    assert t.item() == 2.5
    assert f"{t:.2f}" == "2.50"
    assert bool(Tensor(np.array(1.0))) and not bool(Tensor(np.array(0.0)))
    with pytest.raises(ValueError):
        bool(Tensor(np.array([1.0, 2.0])))


def test_repr_and_str_look_like_arrays():
    t = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32))
    assert str(t) == str(t.data)
    r = repr(t)
    assert r.startswith("tensor([[1., 2.],")
    assert "[3., 4.]]" in r and "shape=(2, 2)" in r and "dtype=float32" in r


def test_transpose_property_and_methods():
    data = np.arange(6.0).reshape(2, 3)
    t = Tensor(data)
    np.testing.assert_array_equal(t.T.data, data.T)
    np.testing.assert_array_equal(t.transpose().data, data.T)
    np.testing.assert_array_equal(t.transpose(1, 0).data, data.T)
    np.testing.assert_array_equal(t.reshape(3, 2).data, data.reshape(3, 2))
    np.testing.assert_array_equal(t.reshape((3, 2)).data, data.reshape(3, 2))
    np.testing.assert_array_equal(t.reshape(-1).data, data.reshape(-1))
    np.testing.assert_array_equal(t.astype("int32").data, data.astype(np.int32))


def test_reduction_methods():
    data = np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    t = Tensor(data)
    assert float(t.sum()) == 21.0
    np.testing.assert_array_equal(t.sum(axis=0).data, [5.0, 7.0, 9.0])
    np.testing.assert_array_equal(t.sum(1, keepdims=True).data, [[9.0], [12.0]])
    np.testing.assert_array_equal(t.mean(axis=1).data, [3.0, 4.0])
    np.testing.assert_array_equal(t.max(axis=0).data, [4.0, 5.0, 6.0])


def test_min_method_like_numpy():
    t = Tensor(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]))
    np.testing.assert_array_equal(t.min(axis=1).data, [1.0, 2.0])
    assert float(t.min()) == 1.0


def test_indexing():
    data = np.arange(24.0).reshape(2, 3, 4)
    t = Tensor(data)
    np.testing.assert_array_equal(t[1].data, data[1])
    np.testing.assert_array_equal(t[:, 1:, ::2].data, data[:, 1:, ::2])
    np.testing.assert_array_equal(t[..., -1].data, data[..., -1])
    np.testing.assert_array_equal(t[[0, 0, 1]].data, data[[0, 0, 1]])
    np.testing.assert_array_equal(t[Tensor(np.array([1, 0]))].data, data[[1, 0]])
    np.testing.assert_array_equal(t[data > 10].data, data[data > 10])
    assert float(t[1, 2, 3]) == 23.0


def test_backward_method_and_detach():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * x
    d = y.detach()
    assert d.creator is None and not d.requires_grad
    np.testing.assert_array_equal(d.data, y.data)
    ops.sum(y).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_tensors_are_hashable_by_identity():
    a, b = Tensor(np.zeros(2)), Tensor(np.zeros(2))
    assert len({a, b}) == 2
    assert {a: 1}[a] == 1
