"""Notes §2.3: vectorization. The notes' forward pass, timed against an explicit loop, and the
same layer computed (and differentiated) by npkeras."""

import time

import numpy as np

import npkeras

# ---- the notes' block ---------------------------------------------------------------------
# Data
X = np.random.rand(1000, 784)  # 1000 samples, 784 features
W = np.random.rand(784, 10)  # weights for 10 classes
b = np.random.rand(10)  # bias for 10 classes

# Forward pass
Z = np.dot(X, W) + b
A = np.maximum(Z, 0)  # ReLU activation

# ---- why: the same computation with Python loops over samples and classes -----------------
t0 = time.perf_counter()
Z_loop = np.zeros((100, 10))
for i in range(100):  # only 100 samples: the loop is slow
    for j in range(10):
        Z_loop[i, j] = sum(X[i, k] * W[k, j] for k in range(784)) + b[j]
loop_s = (time.perf_counter() - t0) * 10  # scaled to 1000 samples
t0 = time.perf_counter()
Z_vec = np.dot(X, W) + b
vec_s = time.perf_counter() - t0
assert np.allclose(Z_loop, Z_vec[:100])
print(f"loops: {loop_s:.3f} s for 1000 samples; vectorized: {vec_s * 1e3:.3f} ms ({loop_s / vec_s:,.0f}x faster)")

# ---- the same layer in npkeras: a Dense layer is this product, and autograd gives its gradient
layer = npkeras.layers.Dense(10, activation="relu")
layer.build((None, 784))
layer.set_weights([W.astype(np.float32), b.astype(np.float32)])
with npkeras.GradientTape() as tape:
    A_layer = layer(X)
    total = npkeras.ops.sum(A_layer)
dW, db = tape.gradient(total, layer.trainable_weights)
print("npkeras Dense output equals the notes' A:", np.allclose(np.asarray(A_layer), A, rtol=1e-4))
print("dW shape", dW.shape, "db shape", db.shape)
