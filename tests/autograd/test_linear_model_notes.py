"""The notes' section 2.2 linear model, differentiated by autograd and by hand."""

import numpy as np

from npkeras import ops
from npkeras.autograd import Tensor

X = np.array([1.0, 2.0, 3.0, 4.0])
Y = np.array([2.0, 4.0, 6.0, 8.0])


def scalar(value):
    return Tensor(np.array(value, dtype=np.float64), requires_grad=True)


def loss_fn(W, b):
    Y_pred = W * X + b
    return ops.mean((Y - Y_pred) ** 2)


def test_autograd_matches_hand_formulas():
    W, b = scalar(0.3), scalar(-0.7)
    loss = loss_fn(W, b)
    assert loss.dtype == np.float64
    loss.backward()
    Y_pred = 0.3 * X - 0.7
    np.testing.assert_allclose(float(loss), np.mean((Y - Y_pred) ** 2), rtol=0, atol=1e-12)
    dW = -2 * np.mean(X * (Y - Y_pred))
    db = -2 * np.mean(Y - Y_pred)
    assert W.grad.shape == () and b.grad.shape == ()
    np.testing.assert_allclose(W.grad, dW, rtol=0, atol=1e-12)
    np.testing.assert_allclose(b.grad, db, rtol=0, atol=1e-12)


def test_gradient_descent_matches_numpy_loop():
    w0, b0, lr, steps = 0.1, 0.5, 0.01, 1000
    W, b = scalar(w0), scalar(b0)
    for _ in range(steps):
        W.grad = b.grad = None
        loss_fn(W, b).backward()
        W.data = W.data - lr * W.grad
        b.data = b.data - lr * b.grad

    w_np, b_np = w0, b0
    for _ in range(steps):
        Y_pred = w_np * X + b_np
        dW = -2 * np.mean(X * (Y - Y_pred))
        db = -2 * np.mean(Y - Y_pred)
        w_np -= lr * dW
        b_np -= lr * db

    np.testing.assert_allclose(float(W), w_np, rtol=0, atol=1e-9)
    np.testing.assert_allclose(float(b), b_np, rtol=0, atol=1e-9)
    assert abs(float(W) - 2.0) < 0.03
    assert abs(float(b)) < 0.08
    assert float(loss_fn(W, b)) < 1e-3
