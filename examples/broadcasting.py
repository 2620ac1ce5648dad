"""Notes §2.4: broadcasting. The notes' seven examples, then the same with npkeras tensors,
whose gradients are summed back over the broadcast axes."""

import numpy as np

import npkeras

# ---- the notes' block (comments translated) -------------------------------------------------
# Example 1: scalar + array
A = np.array([1, 2, 3])
B = 2
C = A + B
print("scalar + array:\n", C)

# Example 2: (3,1) + (1,4)
A = np.array([[1], [2], [3]])
B = np.array([[4, 5, 6, 7]])
C = A + B
print("\n(3,1) + (1,4):\n", C)

# Example 3: (2,3) * (3,)
A = np.array([[1, 2, 3], [4, 5, 6]])
B = np.array([1, 2, 3])
C = A * B
print("\n(2,3) * (3,):\n", C)

# Example 4: (2,3,4) + (3,1)
A = np.ones((2, 3, 4))
B = np.arange(3).reshape((3, 1))
C = A + B
print("\n(2,3,4) + (3,1):\n", C)

# Example 5: (2,3,4) + (3,4)
A = np.ones((2, 3, 4))
B = np.arange(12).reshape((3, 4))
C = A + B
print("\n(2,3,4) + (3,4):\n", C)

# Example 6: matrix product
A = np.array([[1, 2], [3, 4], [5, 6]])
B = np.array([[7, 8], [9, 10]])
C = A @ B
print("\nmatrix product:\n", C)

# Example 7: (5,1,4,1) + (1,3,1,2)
A = np.random.rand(5, 1, 4, 1)
B = np.random.rand(1, 3, 1, 2)
C = A + B
print("\n(5,1,4,1) + (1,3,1,2):\n", C)

# ---- with npkeras: same values, and the gradient of each input has the input's shape --------
print("\nnpkeras: forward values and gradient shapes")
cases = [((3, 1), (1, 4)), ((2, 3), (3,)), ((2, 3, 4), (3, 1)), ((2, 3, 4), (3, 4)), ((5, 1, 4, 1), (1, 3, 1, 2))]
for shape_a, shape_b in cases:
    a = npkeras.Variable(np.random.rand(*shape_a))
    b = npkeras.Variable(np.random.rand(*shape_b))
    with npkeras.GradientTape() as tape:
        c = a * b + a
        total = npkeras.ops.sum(c)
    ga, gb = tape.gradient(total, [a, b])
    assert np.allclose(np.asarray(c), a.numpy() * b.numpy() + a.numpy())
    print(f"{shape_a} op {shape_b} -> {c.shape}; grad a {ga.shape}, grad b {gb.shape}")
