"""Notes §2.2: gradient descent on a linear model, by hand in NumPy and with npkeras autograd.

Both loops start from the same W and b and print the same losses: autograd's gradients are
the hand-derived dW = -2 mean(X (Y - Y_pred)) and db = -2 mean(Y - Y_pred).
"""

import numpy as np

import npkeras

# ---- the notes' block, as written -------------------------------------------------------
np.random.seed(0)

# Data
X = np.array([1, 2, 3, 4], dtype=np.float32)
Y = np.array([2, 4, 6, 8], dtype=np.float32)

# Model parameters
W = np.random.randn()
b = np.random.randn()
W0, b0 = W, b

# Learning rate
lr = 0.01

# Training loop
for epoch in range(1000):
    # Forward pass
    Y_pred = W * X + b
    loss = np.mean((Y - Y_pred) ** 2)

    # Backward pass
    dW = -2 * np.mean(X * (Y - Y_pred))
    db = -2 * np.mean(Y - Y_pred)

    # Update parameters
    W -= lr * dW
    b -= lr * db

    if epoch % 100 == 0:
        print(f"Epoch {epoch}: Loss {loss}")

print(f"NumPy by hand:     W = {W:.6f}, b = {b:.6f}")

# ---- the same loop with npkeras: forward, loss, backward by autograd, update ------------
W_t = npkeras.Variable(np.float32(W0), name="W")
b_t = npkeras.Variable(np.float32(b0), name="b")
optimizer = npkeras.optimizers.SGD(learning_rate=lr)
for epoch in range(1000):
    with npkeras.GradientTape() as tape:
        Y_pred = W_t * X + b_t
        loss = npkeras.ops.mean((Y - Y_pred) ** 2)
    grads = tape.gradient(loss, [W_t, b_t])
    optimizer.apply_gradients(zip(grads, [W_t, b_t]))
    if epoch % 100 == 0:
        print(f"Epoch {epoch}: Loss {float(loss)}")

print(f"npkeras autograd:  W = {float(W_t):.6f}, b = {float(b_t):.6f}")
