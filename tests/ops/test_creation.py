"""convert_to_tensor, constant creators, one_hot and comparisons."""

import numpy as np
import pytest

from npkeras import backend, ops
from npkeras.autograd import Tensor


def test_convert_to_tensor_float64_list_becomes_float32():
    t = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
    assert isinstance(t, Tensor) and t.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(t), [[1.0, 2.0], [3.0, 4.0]])
    assert ops.convert_to_tensor(np.array([0.5])).dtype == np.float32
    assert ops.convert_to_tensor(2.5).dtype == np.float32


def test_convert_to_tensor_ints_and_bools_keep_their_kind():
    assert ops.convert_to_tensor([1, 2, 3]).dtype.kind == "i"
    assert ops.convert_to_tensor(np.array([1, 2], dtype=np.int32)).dtype == np.int32
    assert ops.convert_to_tensor(np.array([1, 2], dtype=np.uint8)).dtype == np.uint8
    assert ops.convert_to_tensor([True, False]).dtype == np.bool_


def test_convert_to_tensor_dtype_argument_and_passthrough():
    t = ops.convert_to_tensor([1, 2], dtype="float64")
    assert t.dtype == np.float64
    assert ops.convert_to_tensor(t) is t
    assert ops.convert_to_tensor(t, dtype="float32").dtype == np.float32
    f32 = np.ones(2, dtype=np.float32)
    assert ops.convert_to_tensor(f32).dtype == np.float32


def test_convert_to_tensor_follows_floatx():
    backend.set_floatx("float64")
    assert ops.convert_to_tensor([1.0]).dtype == np.float64
    assert ops.zeros((2,)).dtype == np.float64


def test_convert_to_tensor_keeps_text_as_keras_tensorflow_does_and_rejects_other_objects():
    """Text becomes a Tensor of str (Keras-TensorFlow's string tensor), for string Inputs and lookup layers."""
    text = ops.convert_to_tensor([["a b"], ["c"]])
    assert isinstance(text, Tensor) and text.shape == (2, 1) and text.dtype.kind == "U"
    np.testing.assert_array_equal(np.asarray(text), [["a b"], ["c"]])
    assert ops.convert_to_tensor("word", dtype="string").shape == ()
    with pytest.raises(TypeError, match="must be numeric"):
        ops.convert_to_tensor(["a", "b"], dtype="float32")
    with pytest.raises(TypeError, match="must be numeric"):
        ops.convert_to_tensor([{"a": 1}])


def test_convert_to_numpy():
    a = np.arange(3.0)
    out = ops.convert_to_numpy(Tensor(a))
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, a)


def test_constant_creators():
    np.testing.assert_array_equal(ops.zeros((2, 3)).data, np.zeros((2, 3)))
    assert ops.zeros((2, 3)).dtype == np.float32
    np.testing.assert_array_equal(ops.ones(4, dtype="int32").data, np.ones(4, dtype=np.int32))
    assert ops.ones(4, dtype="int32").dtype == np.int32
    np.testing.assert_array_equal(ops.full((2,), 7.0).data, [7.0, 7.0])
    x = np.arange(6, dtype=np.int64).reshape(2, 3)
    assert ops.zeros_like(x).dtype == np.int64 and ops.zeros_like(x).shape == (2, 3)
    np.testing.assert_array_equal(ops.ones_like(Tensor(x)).data, np.ones((2, 3)))
    np.testing.assert_array_equal(ops.arange(1, 7, 2).data, [1, 3, 5])


def test_one_hot_matches_numpy():
    labels = np.array([0, 2, 1, 2])
    out = ops.one_hot(labels, 3)
    assert out.dtype == np.float32 and out.shape == (4, 3)
    np.testing.assert_array_equal(out.data, np.eye(3)[labels])
    grid = np.array([[0, 1], [3, 2]])
    np.testing.assert_array_equal(ops.one_hot(grid, 4).data, np.eye(4)[grid])
    np.testing.assert_array_equal(ops.one_hot(Tensor(labels), 3, axis=0).data, np.eye(3)[labels].T)
    assert ops.one_hot(labels, 3, dtype="int32").dtype == np.int32


def test_one_hot_negative_label_is_all_zeros():
    # Keras (TensorFlow and its NumPy backend) gives an all-zero row for index -1.
    np.testing.assert_array_equal(ops.one_hot(np.array([-1, 1]), 3).data, [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


@pytest.mark.parametrize(
    "op, ref",
    [
        (ops.equal, np.equal),
        (ops.not_equal, np.not_equal),
        (ops.greater, np.greater),
        (ops.greater_equal, np.greater_equal),
        (ops.less, np.less),
        (ops.less_equal, np.less_equal),
    ],
    ids=lambda f: getattr(f, "__name__", ""),
)
def test_comparisons(op, ref):
    a = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    b = np.array([2.0, 2.0, 2.0])
    out = op(Tensor(a), b)
    assert isinstance(out, Tensor) and out.dtype == np.bool_
    np.testing.assert_array_equal(out.data, ref(a, b))


def test_logical_ops_and_sign():
    p, q = np.array([True, True, False]), np.array([True, False, False])
    np.testing.assert_array_equal(ops.logical_and(p, q).data, p & q)
    np.testing.assert_array_equal(ops.logical_or(p, q).data, p | q)
    np.testing.assert_array_equal(ops.sign(np.array([-2.0, 0.0, 3.0])).data, [-1.0, 0.0, 1.0])


def test_eye_identity_tri():
    np.testing.assert_array_equal(ops.eye(3, 4, k=1).data, np.eye(3, 4, 1))
    assert ops.eye(2).dtype == np.float32 and ops.eye(2, dtype="int32").dtype == np.int32
    np.testing.assert_array_equal(ops.identity(3).data, np.eye(3))
    np.testing.assert_array_equal(ops.tri(3, 4, k=-1).data, np.tri(3, 4, -1))
    assert ops.tri(2).dtype == np.float32


def test_linspace_and_full_like():
    np.testing.assert_allclose(ops.linspace(0, 1, 5).data, [0, 0.25, 0.5, 0.75, 1])
    assert ops.linspace(0, 1, 5).dtype == np.float32
    values, step = ops.linspace(0.0, 1.0, 4, endpoint=False, retstep=True)
    np.testing.assert_allclose(values.data, [0, 0.25, 0.5, 0.75])
    assert step.data == 0.25
    np.testing.assert_allclose(ops.linspace([0, 10], [1, 20], 3, axis=1).data, [[0, 0.5, 1], [10, 15, 20]])
    with pytest.raises(ValueError, match="num"):
        ops.linspace(0, 1, -1)
    full = ops.full_like(np.zeros((2, 3), np.int32), 7)
    assert full.dtype == np.int32 and full.data.tolist() == [[7, 7, 7]] * 2
    assert ops.full_like(np.zeros(2), 0.5, dtype="float32").dtype == np.float32


def test_empty_logspace_geomspace():
    assert ops.empty((2, 3)).shape == (2, 3) and ops.empty((2,)).dtype == np.float32
    assert ops.empty_like(np.zeros(4, np.int32)).dtype == np.int32
    np.testing.assert_allclose(ops.logspace(0, 2, 3).data, [1, 10, 100])
    np.testing.assert_allclose(ops.logspace(0, 3, 4, base=2).data, [1, 2, 4, 8])
    np.testing.assert_allclose(ops.geomspace(1, 1000, 4).data, [1, 10, 100, 1000], rtol=1e-6)
    assert ops.geomspace(1, 8, 4, dtype="float64").dtype == np.float64


def test_array_is_convert_to_tensor():
    assert ops.array([1.0, 2.0]).dtype == np.float32
    assert ops.array([1, 2], dtype="int8").dtype == np.int8
