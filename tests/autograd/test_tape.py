"""GradientTape: TensorFlow's custom-training-loop API over the engine."""

import numpy as np
import pytest

import npkeras
from npkeras import ops
from npkeras.autograd import Tensor, Variable


def variables():
    w = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]), dtype="float64", name="w")
    b = Variable(np.array([0.5, -0.5]), dtype="float64", name="b")
    return w, b


X = np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 3.0]])


def forward(w, b):
    return ops.sum(ops.square(ops.matmul(X, w) + b))


def expected(w, b):
    r = X @ w.data + b.data
    return X.T @ (2 * r), (2 * r).sum(axis=0)


def test_tape_is_exported_at_top_level():
    assert npkeras.GradientTape is npkeras.autograd.GradientTape


def test_gradient_with_list_of_sources():
    w, b = variables()
    with npkeras.GradientTape() as tape:
        loss = forward(w, b)
    gw, gb = tape.gradient(loss, [w, b])
    ew, eb = expected(w, b)
    assert isinstance(gw, Tensor) and isinstance(gb, Tensor)
    np.testing.assert_allclose(np.asarray(gw), ew, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(gb), eb, rtol=1e-12)
    assert w.grad is None  # the tape does not write .grad


def test_gradient_with_single_source():
    w, b = variables()
    with npkeras.GradientTape() as tape:
        loss = forward(w, b)
    gw = tape.gradient(loss, w)
    assert isinstance(gw, Tensor)
    np.testing.assert_allclose(np.asarray(gw), expected(w, b)[0], rtol=1e-12)


def test_gradient_with_dict_of_sources():
    w, b = variables()
    with npkeras.GradientTape() as tape:
        loss = forward(w, b)
    grads = tape.gradient(loss, {"kernel": w, "bias": b})
    ew, eb = expected(w, b)
    assert set(grads) == {"kernel", "bias"}
    np.testing.assert_allclose(np.asarray(grads["kernel"]), ew, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(grads["bias"]), eb, rtol=1e-12)


def test_watch_constant_tensor():
    x = ops.convert_to_tensor(np.array([1.0, 2.0, 3.0]), dtype="float64")
    with npkeras.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(x * x * x)
    g = tape.gradient(y, x)
    np.testing.assert_allclose(np.asarray(g), 3 * x.data**2, rtol=1e-12)


def test_unwatched_constant_gets_none():
    x = Tensor(np.array([1.0, 2.0]))
    v = Variable(np.array([3.0, 4.0]))
    with npkeras.GradientTape() as tape:
        y = ops.sum(x * v)
    gx, gv = tape.gradient(y, [x, v])
    assert gx is None
    np.testing.assert_allclose(np.asarray(gv), x.data)


def test_watch_rejects_arrays():
    with npkeras.GradientTape() as tape:
        with pytest.raises(ValueError, match="Tensor"):
            tape.watch(np.ones(3))


def test_non_persistent_tape_raises_on_second_call():
    w, b = variables()
    with npkeras.GradientTape() as tape:
        loss = forward(w, b)
    tape.gradient(loss, [w])
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(loss, [b])


def test_persistent_tape_allows_two_calls():
    w, b = variables()
    with npkeras.GradientTape(persistent=True) as tape:
        loss = forward(w, b)
        other = ops.sum(w * 2.0)
    ew, eb = expected(w, b)
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, w)), ew, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, b)), eb, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(tape.gradient(other, w)), np.full((2, 2), 2.0))


def test_unconnected_variable_gets_none():
    w, b = variables()
    unused = Variable(np.zeros(3), name="unused")
    with npkeras.GradientTape() as tape:
        loss = ops.sum(w * w)
    gw, gu = tape.gradient(loss, [w, unused])
    np.testing.assert_allclose(np.asarray(gw), 2 * w.data)
    assert gu is None


def test_tape_records_even_inside_no_grad():
    v = Variable(np.array([2.0]), dtype="float64")
    with npkeras.autograd.no_grad():
        with npkeras.GradientTape() as tape:
            y = v * v
    np.testing.assert_allclose(np.asarray(tape.gradient(y, v)), [4.0])


def test_output_gradients():
    v = Variable(np.array([1.0, 2.0]), dtype="float64")
    with npkeras.GradientTape() as tape:
        y = v * 3.0
    g = tape.gradient(y, v, output_gradients=np.array([1.0, -2.0]))
    np.testing.assert_allclose(np.asarray(g), [3.0, -6.0])


def test_custom_training_step_with_variables_updates_in_place():
    w = Variable(np.array([0.0]), dtype="float64")
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    for _ in range(200):
        with npkeras.GradientTape() as tape:
            loss = ops.mean(ops.square(y - w * x))
        w.assign_sub(0.05 * np.asarray(tape.gradient(loss, w)))
    np.testing.assert_allclose(w.data, [2.0], atol=1e-6)


def test_watch_accessed_variables_false_only_watches_explicit_tensors():
    a = Variable(np.array([1.0]), dtype="float64")
    b = Variable(np.array([2.0]), dtype="float64")
    with npkeras.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        z = a * b
    ga, gb = tape.gradient(z, [a, b])
    np.testing.assert_allclose(np.asarray(ga), [2.0])
    assert gb is None
